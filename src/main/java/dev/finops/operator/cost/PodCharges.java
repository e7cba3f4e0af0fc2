package dev.finops.operator.cost;

import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.GpuShare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns GPU pods into charges: the pod's share of its node's GPUs x the node's price. Pure. */
public final class PodCharges {

    /** A node's GPUs count as one GPU-hour each per hour, in micro-GPU-hours. */
    private static final long MICRO_GPU_HOURS_PER_GPU_HOUR = 1_000_000L;

    private PodCharges() {
    }

    /** The charges, and the pods that could not be priced (by instance type), which are never costed at zero silently. */
    public record Result(List<PodCharge> charges, int unpricedPods, Set<String> unpricedInstanceTypes) {
    }

    public static Result of(List<GpuPod> pods, Map<String, GpuNode> nodes, NodePriceBook prices) {
        List<PodCharge> charges = new ArrayList<>(pods.size());
        Set<String> unpriced = new TreeSet<>();
        int unpricedPods = 0;
        for (GpuPod pod : pods) {
            if (pod.start() == null || pod.nodeName() == null) {
                continue;
            }
            GpuNode node = nodes.get(pod.nodeName());
            if (node == null) {
                // never costed at zero silently: the node is gone and its price with it
                unpricedPods++;
                unpriced.add("node " + pod.nodeName() + " (gone)");
                continue;
            }
            if (!node.gpus().hasGpus()) {
                continue;
            }
            GpuShare share = node.gpus().shareOf(pod.gpuRequests());
            if (share.isZero()) {
                continue;
            }
            NodeRate rate = prices.rateOf(node.name()).orElse(null);
            if (rate == null || !rate.known()) {
                unpricedPods++;
                unpriced.add(node.instanceType() + " " + node.capacityType().label());
                continue;
            }
            try {
                charges.add(new PodCharge(pod.workload(), pod.start(), pod.end(), HourlyRate.of(rate.microsPerHour(), share),
                        HourlyRate.of(Math.multiplyExact(MICRO_GPU_HOURS_PER_GPU_HOUR, node.gpus().physical()), share)));
            } catch (ArithmeticException overflow) {
                unpricedPods++;
                unpriced.add(node.instanceType() + " " + node.capacityType().label() + " (price x GPU share overflows)");
            }
        }
        return new Result(charges, unpricedPods, unpriced);
    }
}
