package dev.finops.operator.pool.provider;

import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The NodePools of a Karpenter pool with their roles, written (nodePoolRoles) or implied by the older list. */
public final class NodePoolRoles {

    private NodePoolRoles() {
    }

    /**
     * As written in {@code nodePoolRoles}; for the deprecated {@code nodePools} list, as its order implies: a single
     * NodePool is Any, of several the first is Spot and the others OnDemand.
     */
    public static List<KarpenterNodePool> of(KarpenterProvider karpenter) {
        if (karpenter.getNodePoolRoles() != null) {
            return List.copyOf(karpenter.getNodePoolRoles());
        }
        List<String> names = karpenter.getNodePools() == null ? List.of() : karpenter.getNodePools();
        List<KarpenterNodePool> implied = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            NodePoolRole role = names.size() == 1 ? NodePoolRole.Any
                    : i == 0 ? NodePoolRole.Spot : NodePoolRole.OnDemand;
            implied.add(new KarpenterNodePool(names.get(i), role));
        }
        return implied;
    }

    /** The field the NodePools are listed in, for messages that tell the user what to fix. */
    public static String field(KarpenterProvider karpenter) {
        return karpenter.getNodePoolRoles() != null ? "spec.provider.karpenter.nodePoolRoles"
                : "spec.provider.karpenter.nodePools";
    }

    /** The migration of a pool still on the deprecated list: what to write instead, as YAML flow. */
    public static String migration(KarpenterProvider karpenter) {
        return "nodePoolRoles: [" + of(karpenter).stream().map(n -> "{name: " + n.getName() + ", role: "
                + n.getRole() + "}").collect(Collectors.joining(", ")) + "]";
    }
}
