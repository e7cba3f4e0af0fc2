package dev.finops.operator.pool.plan;

import dev.finops.operator.model.CapacityType;
import java.util.List;

/**
 * What the planner wants from the provider: nodes per capacity type now, the capacity types the provider may use,
 * and the ceilings the provider should enforce on its own (in nodes; GPUs = nodes x gpusPerNode).
 *
 * @param spot spot nodes wanted now
 * @param onDemand on-demand nodes wanted now, reserved ones included
 * @param capacityTypes allowed capacity types, in Karpenter's order of preference
 * @param maxSpotNodes the most spot nodes the policy ever allows (0 while the fallback is active)
 * @param maxNodes the most nodes of any capacity type
 * @param gpusPerNode GPUs one node of the pool has; 0 when unknown
 */
public record CapacityPlan(int spot, int onDemand, List<CapacityType> capacityTypes, int maxSpotNodes, int maxNodes,
        int gpusPerNode) {

    public boolean allowsSpot() {
        return capacityTypes.contains(CapacityType.SPOT);
    }

    public boolean gpusPerNodeKnown() {
        return gpusPerNode > 0;
    }
}
