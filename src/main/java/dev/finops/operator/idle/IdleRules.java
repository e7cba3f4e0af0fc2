package dev.finops.operator.idle;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.workload.RestoreRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Decides, from evidence only, which workloads on a pool's GPUs are idle: a workload is idle when every one of
 * its running GPU pods has run longer than the window, has at least 80% of the samples the window should hold,
 * and stayed under the threshold for the whole window (its maximum, not its mean). Missing evidence is never
 * idleness. Workloads that are busy but use few of their GPUs get a rightsizing advice. Pure.
 */
public final class IdleRules {

    /** Share of the expected samples a pod needs before its numbers count as evidence. */
    static final double MIN_COVERAGE = 0.8;
    /** The utilisation a right-sized workload should reach on its GPUs. */
    static final double TARGET_UTILISATION_PERCENT = 70;

    private IdleRules() {
    }

    /** How the rules are tuned for one pool; {@code exempt} is null when the pool exempts nothing. */
    public record Policy(double thresholdPercent, Duration window, Duration scrapeInterval,
            LabelSelectorMatcher exempt) {

        long expectedSamples() {
            return Math.max(1, window.toSeconds() / Math.max(1, scrapeInterval.toSeconds()));
        }
    }

    public static IdleReport evaluate(List<GpuPod> pods, Map<String, GpuUsage> usage, Policy policy, Instant now,
            ToLongFunction<GpuPod> costMicrosPerHour, ToDoubleFunction<GpuPod> physicalGpus) {
        Map<String, List<GpuPod>> byWorkload = new LinkedHashMap<>();
        for (GpuPod pod : pods) {
            boolean running = pod.start() != null && (pod.end() == null || pod.end().isAfter(now));
            if (running && !exempt(pod, policy)) {
                byWorkload.computeIfAbsent(pod.namespace() + "/" + pod.workload().kind() + "/" + pod.workload().name(),
                        k -> new ArrayList<>()).add(pod);
            }
        }
        List<IdleReport.Finding> idle = new ArrayList<>();
        List<IdleReport.Advice> advice = new ArrayList<>();
        int withoutEvidence = 0;
        for (List<GpuPod> group : byWorkload.values()) {
            GpuPod first = group.get(0);
            WorkloadKey workload = first.workload();
            boolean allIdle = true;
            boolean evidence = true;
            double meanSum = 0;
            for (GpuPod pod : group) {
                GpuUsage used = usage.get(pod.namespace() + "/" + pod.name());
                boolean covered = used != null && !Double.isNaN(used.maxPercent())
                        && used.samples() >= MIN_COVERAGE * policy.expectedSamples();
                if (!covered) {
                    withoutEvidence++;
                    evidence = false;
                    allIdle = false;
                    continue;
                }
                meanSum += used.meanPercent();
                boolean ranLongEnough = !pod.start().isAfter(now.minus(policy.window()));
                allIdle &= ranLongEnough && used.maxPercent() < policy.thresholdPercent();
            }
            if (allIdle) {
                idle.add(new IdleReport.Finding(first.namespace(), workload, first.workloadApiVersion(),
                        group.stream().mapToDouble(physicalGpus).sum(), now.minus(policy.window()),
                        group.stream().mapToLong(costMicrosPerHour).sum()));
            } else if (evidence) {
                rightsize(group, meanSum / group.size(), costMicrosPerHour).ifPresent(advice::add);
            }
        }
        return new IdleReport(idle, advice, withoutEvidence);
    }

    private static Optional<IdleReport.Advice> rightsize(List<GpuPod> group, double meanPercent,
            ToLongFunction<GpuPod> costMicrosPerHour) {
        GpuPod first = group.get(0);
        long requested = first.gpuRequests().getOrDefault("nvidia.com/gpu", 0L);
        if (requested < 2) {
            return Optional.empty();
        }
        long recommended = Math.max(1, (long) Math.ceil(requested * meanPercent / TARGET_UTILISATION_PERCENT));
        if (recommended >= requested) {
            return Optional.empty();
        }
        long savings = group.stream().mapToLong(pod -> costMicrosPerHour.applyAsLong(pod) * (requested - recommended)
                / requested).sum();
        return Optional.of(new IdleReport.Advice(first.namespace(), first.workload(), (int) requested,
                meanPercent, (int) recommended, savings));
    }

    private static boolean exempt(GpuPod pod, Policy policy) {
        return RestoreRecord.exempt(pod.labels(), null) || (policy.exempt() != null && policy.exempt().test(pod.labels()));
    }
}
