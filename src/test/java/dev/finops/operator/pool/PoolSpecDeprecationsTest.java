package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import dev.finops.operator.api.Provider;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSpecDeprecationsTest {

    static GpuPoolSpec karpenter(KarpenterProvider karpenter) {
        Provider provider = new Provider();
        provider.setKarpenter(karpenter);
        GpuPoolSpec spec = new GpuPoolSpec();
        spec.setProvider(provider);
        return spec;
    }

    @Test
    void theOlderNodePoolsListIsDeprecatedWithTheExactMigration() {
        KarpenterProvider old = new KarpenterProvider();
        old.setNodePools(List.of("gpu-spot", "gpu-on-demand"));

        assertThat(PoolSpecDeprecations.of(karpenter(old))).contains(new PoolSpecDeprecations.Deprecation(
                PoolConditions.Reason.NodePoolRolesImpliedByOrder,
                "spec.provider.karpenter.nodePools is deprecated: it gives the NodePools their roles by list order "
                        + "(gpu-spot: Spot, gpu-on-demand: OnDemand). It keeps working; to migrate, replace it with "
                        + "spec.provider.karpenter.nodePoolRoles: [{name: gpu-spot, role: Spot}, "
                        + "{name: gpu-on-demand, role: OnDemand}]."));
    }

    @Test
    void explicitRolesAndOtherProvidersAreCurrent() {
        KarpenterProvider current = new KarpenterProvider();
        current.setNodePoolRoles(List.of(new KarpenterNodePool("gpu", NodePoolRole.Any)));
        assertThat(PoolSpecDeprecations.of(karpenter(current))).isEmpty();
        assertThat(PoolSpecDeprecations.of(new GpuPoolSpec())).isEmpty();
    }
}
