package dev.finops.operator.pool;

import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.GpuShare;
import dev.finops.operator.model.PendingPod;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPUs a pool must provide: what running pods on its nodes hold, plus what pending pods that can only land
 * on the pool ask for. Pure.
 *
 * <p>A pending pod "can only land on the pool" when it asks for a label value that the pool's node selector
 * requires: its nodeSelector has a key the pool pins (matchLabels, or matchExpressions with In) with one of the
 * pool's values, or every one of its required node affinity terms has such an In expression whose values all
 * belong to the pool. Anything looser (no constraint, NotIn, preferred affinity) may land elsewhere and is not
 * counted, so the planner never buys nodes for pods another pool will take.
 */
public final class PoolDemand {

    private PoolDemand() {
    }

    public static long gpus(List<GpuNode> nodes, List<GpuPod> pods, Collection<PendingPod> pending,
            LabelSelector poolSelector, Instant now) {
        return runningGpus(nodes, pods, now) + pendingGpus(pending, poolSelector);
    }

    static long runningGpus(List<GpuNode> nodes, List<GpuPod> pods, Instant now) {
        Map<String, GpuNode> byName = new HashMap<>();
        nodes.forEach(node -> byName.put(node.name(), node));
        Map<String, GpuShare> held = new HashMap<>();
        for (GpuPod pod : pods) {
            GpuNode node = byName.get(pod.nodeName());
            boolean running = pod.start() != null && (pod.end() == null || pod.end().isAfter(now));
            if (node != null && running) {
                held.merge(node.name(), node.gpus().shareOf(pod.gpuRequests()), (a, b) -> a.plus(b).atMostWhole());
            }
        }
        long gpus = 0;
        for (Map.Entry<String, GpuShare> entry : held.entrySet()) {
            long physical = byName.get(entry.getKey()).gpus().physical();
            GpuShare share = entry.getValue();
            gpus += (share.numerator() * physical + share.denominator() - 1) / share.denominator();
        }
        return gpus;
    }

    static long pendingGpus(Collection<PendingPod> pending, LabelSelector poolSelector) {
        Map<String, Set<String>> pinned = pinnedLabels(poolSelector);
        return pending.stream().filter(pod -> bindsTo(pod, pinned)).mapToLong(PendingPod::gpus).sum();
    }

    static boolean bindsTo(PendingPod pod, Map<String, Set<String>> pinned) {
        boolean bySelector = pod.nodeSelector().entrySet().stream()
                .anyMatch(entry -> pinned.getOrDefault(entry.getKey(), Set.of()).contains(entry.getValue()));
        boolean byAffinity = !pod.requiredTerms().isEmpty()
                && pod.requiredTerms().stream().allMatch(term -> term.stream().anyMatch(e -> pins(e, pinned)));
        return bySelector || byAffinity;
    }

    private static boolean pins(NodeSelectorRequirement expression, Map<String, Set<String>> pinned) {
        Set<String> values = pinned.get(expression.getKey());
        return values != null && "In".equals(expression.getOperator()) && expression.getValues() != null
                && !expression.getValues().isEmpty() && values.containsAll(expression.getValues());
    }

    /** Label key to the values the pool's selector admits, for the keys it pins to a finite set. */
    static Map<String, Set<String>> pinnedLabels(LabelSelector selector) {
        Map<String, Set<String>> pinned = new HashMap<>();
        if (selector == null) {
            return pinned;
        }
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((key, value) -> pinned.put(key, new HashSet<>(List.of(value))));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement expression : selector.getMatchExpressions()) {
                if ("In".equals(expression.getOperator()) && expression.getValues() != null) {
                    pinned.merge(expression.getKey(), new HashSet<>(expression.getValues()), (a, b) -> {
                        a.retainAll(b);
                        return a;
                    });
                }
            }
        }
        return pinned;
    }
}
