package dev.finops.operator.pool;

import dev.finops.operator.api.GpuCounts;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.NodeCounts;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.NodeRate;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.GpuShare;
import dev.finops.operator.model.Money;
import dev.finops.operator.status.Conditions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pool's cost picture now: nodes by capacity type, GPUs total / allocated / idle, what the nodes cost per
 * hour, what the unallocated GPUs waste, and the saving against running every node on-demand. Pure.
 */
final class PoolCostStatus {

    /** The figures also exported as metrics. */
    record Figures(Map<String, Long> costPerHourByCapacityType, long idleCostPerHour, Map<String, Integer> gpus) {
    }

    private PoolCostStatus() {
    }

    static Figures apply(GpuPoolStatus status, List<GpuNode> nodes, List<GpuPod> pods, NodePriceBook book,
            int reservedNodes, Long generation, Instant now) {
        Map<String, GpuShare> allocated = allocatedShares(nodes, pods, now);
        int spot = 0;
        int onDemand = 0;
        int reservedLabelled = 0;
        int totalGpus = 0;
        BigDecimal allocatedGpus = BigDecimal.ZERO;
        long cost = 0;
        long idle = 0;
        long allOnDemand = 0;
        Map<String, Long> costByType = new TreeMap<>();
        Set<String> unknown = new TreeSet<>();
        for (GpuNode node : nodes) {
            switch (node.capacityType()) {
                case SPOT -> spot++;
                case RESERVED -> reservedLabelled++;
                default -> onDemand++;
            }
            totalGpus += node.gpus().physical();
            GpuShare share = allocated.getOrDefault(node.name(), GpuShare.ZERO);
            allocatedGpus = allocatedGpus.add(BigDecimal.valueOf(share.numerator() * (long) node.gpus().physical())
                    .divide(BigDecimal.valueOf(share.denominator()), 6, RoundingMode.HALF_UP));
            NodeRate rate = book.rateOf(node.name()).orElse(null);
            if (rate == null || !rate.known()) {
                unknown.add(node.instanceType() + " " + node.capacityType().label());
                continue;
            }
            cost += rate.microsPerHour();
            costByType.merge(node.capacityType().label(), rate.microsPerHour(), Long::sum);
            idle += rate.microsPerHour() - rate.microsPerHour() * share.numerator() / share.denominator();
            allOnDemand += rate.onDemandMicrosPerHour() >= 0 ? rate.onDemandMicrosPerHour() : rate.microsPerHour();
        }
        int covered = Math.min(reservedNodes, onDemand);
        NodeCounts counts = new NodeCounts();
        counts.setTotal(nodes.size());
        counts.setSpot(spot);
        counts.setReserved(reservedLabelled + covered);
        counts.setOnDemand(onDemand - covered);
        status.setNodes(counts);
        int allocatedWhole = allocatedGpus.setScale(0, RoundingMode.CEILING).intValue();
        GpuCounts gpus = new GpuCounts();
        gpus.setTotal(totalGpus);
        gpus.setAllocated(Math.min(allocatedWhole, totalGpus));
        gpus.setIdle(Math.max(0, totalGpus - allocatedWhole));
        status.setGpus(gpus);
        status.setCostPerHour(Money.formatCents(cost));
        status.setIdleCostPerHour(Money.formatCents(idle));
        status.setSavingsPerHour(Money.formatCents(allOnDemand - cost));
        status.setConditions(unknown.isEmpty()
                ? Conditions.set(status.getConditions(), PoolConditions.PRICES_KNOWN, true, PoolConditions.Reason.AllPricesKnown,
                        "Every node of the pool has a price.", generation, now)
                : Conditions.set(status.getConditions(), PoolConditions.PRICES_KNOWN, false, PoolConditions.Reason.UnknownPrice,
                        "No price for " + String.join(", ", unknown) + "; those nodes are NOT counted in costPerHour. "
                                + "Add them to the price ConfigMap or to spec.pricing.", generation, now));
        Map<String, Integer> byState = Map.of("total", totalGpus, "allocated", gpus.getAllocated(), "idle",
                gpus.getIdle());
        return new Figures(costByType, idle, byState);
    }

    private static Map<String, GpuShare> allocatedShares(List<GpuNode> nodes, List<GpuPod> pods, Instant now) {
        Map<String, GpuNode> byName = new HashMap<>();
        nodes.forEach(node -> byName.put(node.name(), node));
        Map<String, GpuShare> shares = new HashMap<>();
        for (GpuPod pod : pods) {
            GpuNode node = byName.get(pod.nodeName());
            boolean running = pod.start() != null && (pod.end() == null || pod.end().isAfter(now));
            if (node != null && running) {
                shares.merge(node.name(), node.gpus().shareOf(pod.gpuRequests()), (a, b) -> a.plus(b).atMostWhole());
            }
        }
        return shares;
    }
}
