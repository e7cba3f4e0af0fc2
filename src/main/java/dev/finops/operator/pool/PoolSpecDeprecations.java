package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.pool.provider.NodePoolRoles;
import java.util.Optional;

/** The deprecated forms a GpuPool spec still uses, each with the migration. Pure. */
final class PoolSpecDeprecations {

    /** A deprecated form in use: the SpecCurrent reason and what to write instead. */
    record Deprecation(PoolConditions.Reason reason, String message) {
    }

    private PoolSpecDeprecations() {
    }

    static Optional<Deprecation> of(GpuPoolSpec spec) {
        KarpenterProvider karpenter = spec.getProvider() == null ? null : spec.getProvider().getKarpenter();
        if (karpenter == null || karpenter.getNodePools() == null || karpenter.getNodePoolRoles() != null) {
            return Optional.empty();
        }
        return Optional.of(new Deprecation(PoolConditions.Reason.NodePoolRolesImpliedByOrder,
                "spec.provider.karpenter.nodePools is deprecated: it gives the NodePools their roles by list order ("
                        + roles(karpenter) + "). It keeps working; to migrate, replace it with "
                        + "spec.provider.karpenter." + NodePoolRoles.migration(karpenter) + "."));
    }

    private static String roles(KarpenterProvider karpenter) {
        return String.join(", ", NodePoolRoles.of(karpenter).stream()
                .map(n -> n.getName() + ": " + n.getRole()).toList());
    }
}
