package dev.finops.operator.pool.plan;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.model.CapacityType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns GPU demand and a pool's capacity policy into nodes per capacity type. Pure.
 *
 * <p>Nodes = demand / GPUs per node, rounded up, clamped to [minNodes, maxNodes]. Spot is capped at
 * {@code floor(nodes x maxSpotPercent / 100)}, rounded down so the cap is never exceeded. ReservedFirst keeps
 * the reserved usage ({@code reservedNodes}) on on-demand capacity, where the reservation pays for it, and puts
 * only the rest on spot; SpotFirst fills spot up to the cap first. While the spot fallback is active every
 * strategy, SpotOnly included, runs on on-demand only.
 */
public final class CapacityPlanner {


    /** GPUs the pool must provide, and GPUs one node of the pool has (0 when unknown). */
    public record Demand(long gpus, int gpusPerNode) {
    }

    private CapacityPlanner() {
    }

    public static CapacityPlan plan(Demand demand, Capacity capacity, boolean fallbackActive) {
        int min = orZero(capacity.getMinNodes());
        int max = capacity.getMaxNodes() == null ? Integer.MAX_VALUE : capacity.getMaxNodes();
        int reserved = orZero(capacity.getReservedNodes());
        int spotPercent = capacity.getMaxSpotPercent() == null ? 100 : capacity.getMaxSpotPercent();
        CapacityStrategy strategy = capacity.getStrategy() == null ? CapacityStrategy.ReservedFirst
                : capacity.getStrategy();
        boolean spotAllowed = !fallbackActive && strategy != CapacityStrategy.OnDemandOnly && spotPercent > 0;
        boolean onDemandAllowed = fallbackActive || strategy != CapacityStrategy.SpotOnly;

        int nodes = Math.max(min, Math.min(max, nodesFor(demand)));
        int spotCap = spotAllowed ? spotCap(nodes, spotPercent) : 0;
        int spot = switch (strategy) {
            case ReservedFirst -> Math.min(spotCap, Math.max(0, nodes - reserved));
            case SpotFirst, SpotOnly -> spotCap;
            case OnDemandOnly -> 0;
        };
        if (!onDemandAllowed) {
            spot = nodes;
        }
        int maxSpot = spotAllowed && max != Integer.MAX_VALUE ? spotCap(max, spotPercent) : 0;
        return new CapacityPlan(spot, nodes - spot, capacityTypes(strategy, spotAllowed, onDemandAllowed, reserved),
                maxSpot, max == Integer.MAX_VALUE ? nodes : max, Math.max(0, demand.gpusPerNode()));
    }

    static int nodesFor(Demand demand) {
        if (demand.gpus() <= 0 || demand.gpusPerNode() <= 0) {
            return 0;
        }
        long nodes = (demand.gpus() + demand.gpusPerNode() - 1) / demand.gpusPerNode();
        return (int) Math.min(Integer.MAX_VALUE, nodes);
    }

    private static int spotCap(int nodes, int percent) {
        return (int) ((long) nodes * percent / 100);
    }

    /** In Karpenter's order of preference: reserved, then spot, then on-demand. */
    private static List<CapacityType> capacityTypes(CapacityStrategy strategy, boolean spot, boolean onDemand,
            int reservedNodes) {
        List<CapacityType> types = new ArrayList<>();
        if (onDemand && (reservedNodes > 0 || strategy == CapacityStrategy.ReservedFirst)) {
            types.add(CapacityType.RESERVED);
        }
        if (spot) {
            types.add(CapacityType.SPOT);
        }
        if (onDemand) {
            types.add(CapacityType.ON_DEMAND);
        }
        return List.copyOf(types);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
