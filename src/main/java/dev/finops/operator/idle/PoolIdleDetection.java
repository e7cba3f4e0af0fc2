package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.IdleAction;
import dev.finops.operator.api.IdlePolicy;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.api.Recommendation;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.cost.HourlyRate;
import dev.finops.operator.model.Money;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.NodeRate;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Idle GPU detection for one pool and pass: one question to the {@link GpuUsageSource}, the evidence-only
 * {@link IdleRules}, and for {@code action: ScaleDown} a reversible scale-down through the shared {@link
 * WorkloadActions}. No answer from the source means no action at all.
 */
@ApplicationScoped
public class PoolIdleDetection {

    /** What detection found and did, for the pool's status. */
    public record Outcome(boolean available, String reason, String message, List<IdleWorkload> idle,
            List<Recommendation> recommendations, int idleGpus) {

        static Outcome unavailable(String reason, String message) {
            return new Outcome(false, reason, message, List.of(), List.of(), 0);
        }
    }

    static final String CONDITION = "IdleDetectionAvailable";
    /** At most this many idle workloads only reported, and rightsizing advices, go into a pool's status. */
    static final int MAX_LISTED = 50;

    private final GpuUsageSource usageSource;
    private final WorkloadActions workloads;
    private final IdleScaleDowns scaleDowns;
    private final ConditionEvents events;

    public PoolIdleDetection(GpuUsageSource usageSource, WorkloadActions workloads, IdleScaleDowns scaleDowns,
            ConditionEvents events) {
        this.usageSource = usageSource;
        this.workloads = workloads;
        this.scaleDowns = scaleDowns;
        this.events = events;
    }

    /**
     * Detects (when the pool enables it) and records the outcome in the pool's status: idle workloads, those
     * scaled down earlier, rightsizing advice, idle GPUs added to the unallocated ones, and the
     * IdleDetectionAvailable condition. A pool that no longer scales down gives back what it scaled down.
     */
    public void apply(GpuPool pool, GpuPoolStatus status, List<GpuNode> nodes, List<GpuPod> pods,
            NodePriceBook book, Long generation, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        Map<WorkloadRef, IdleWorkload> before = byRef(status.getIdleWorkloads());
        List<IdleWorkload> listed = recorded(status.getIdleWorkloads());
        boolean enabled = policy != null && Boolean.TRUE.equals(policy.getEnabled());
        // scale-downs first: a workload running again in the meantime is marked before detection sees it
        List<IdleWorkload> entries = new ArrayList<>(enabled && policy.getAction() == IdleAction.ScaleDown
                ? scaleDowns.follow(pool, listed, policy.getWindow(), now)
                : scaleDowns.restoreAll(pool, listed, enabled ? "the pool's idle action is now Report"
                        : "the pool's idle detection is switched off"));
        if (!enabled) {
            status.setIdleWorkloads(entries.isEmpty() ? null : entries);
            status.setRecommendations(null);
            status.setConditions(Conditions.remove(status.getConditions(), CONDITION));
            return;
        }
        Outcome outcome = detect(pool, nodes, pods, book, before, byRef(entries).keySet(), now);
        entries.addAll(outcome.idle());
        status.setIdleWorkloads(entries.isEmpty() ? null : entries);
        status.setRecommendations(outcome.recommendations().isEmpty() ? null : outcome.recommendations());
        if (status.getGpus() != null && outcome.idleGpus() > 0) {
            status.getGpus().setIdle(Math.min(status.getGpus().getTotal(), status.getGpus().getIdle() + outcome.idleGpus()));
        }
        status.setConditions(Conditions.set(status.getConditions(), CONDITION, outcome.available(), outcome.reason(),
                outcome.message(), generation, now));
    }

    /** Gives back everything a deleted pool scaled down; false when some workload must be tried again. */
    public boolean release(GpuPool pool) {
        boolean released = scaleDowns.restoreAll(pool, recorded(pool.getStatus() == null ? null
                : pool.getStatus().getIdleWorkloads()), "the pool " + pool.getMetadata().getName() + " was deleted")
                .isEmpty();
        if (released) {
            scaleDowns.forget(pool);
        }
        return released;
    }

    /**
     * One pass of detection; {@code before} is what the status listed, so that repeated findings stay stable;
     * {@code followed} are the workloads already listed with the pool's record (a woken one still idle is not
     * looked at twice).
     */
    Outcome detect(GpuPool pool, List<GpuNode> nodes, List<GpuPod> pods, NodePriceBook book,
            Map<WorkloadRef, IdleWorkload> before, Set<WorkloadRef> followed, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        if (!usageSource.configured()) {
            return Outcome.unavailable("PrometheusNotConfigured",
                    "Set finops.prometheus.url (FINOPS_PROMETHEUS_URL) to detect idle GPUs; nothing is scaled down.");
        }
        if (nodes.isEmpty()) {
            return new Outcome(true, "NoNodes", "The pool has no GPU nodes.", List.of(), List.of(), 0);
        }
        Map<String, GpuUsage> usage;
        try {
            usage = usageSource.usage(policy.getMetric(), GoDuration.parse(policy.getWindow()),
                    nodes.stream().map(GpuNode::name).toList());
        } catch (PrometheusUnavailableException e) {
            return Outcome.unavailable("PrometheusUnavailable", e.getMessage() + "; nothing is scaled down.");
        }
        if (usage.isEmpty() && pods.stream().anyMatch(pod -> pod.start() != null && pod.end() == null)) {
            return Outcome.unavailable("NoSeries", "Prometheus has no " + policy.getMetric() + " series for the "
                    + "pool's nodes; is the DCGM exporter scraped? Nothing is scaled down.");
        }
        Map<String, GpuNode> byName = nodes.stream().collect(Collectors.toMap(GpuNode::name, node -> node));
        IdleReport report = IdleRules.evaluate(pods, usage, new IdleRules.Policy(policy.getThresholdPercent(),
                GoDuration.parse(policy.getWindow()), usageSource.scrapeInterval(),
                policy.getExemptSelector() == null ? null
                        : LabelSelectorMatcher.compile("spec.idle.exemptSelector", policy.getExemptSelector())),
                now, pod -> costPerHour(pod, byName, book), pod -> gpus(pod, byName));
        List<IdleWorkload> idle = new ArrayList<>();
        int idleGpus = 0;
        int listedOnly = 0;
        for (IdleReport.Finding finding : costliestFirst(report.idle())) {
            IdleWorkload entry = idleWorkload(finding);
            if (followed.contains(IdleScaleDowns.ref(entry))) {
                continue;
            }
            IdleWorkload earlier = before.get(IdleScaleDowns.ref(entry));
            if (earlier != null && earlier.getIdleSince() != null) {
                entry.setIdleSince(earlier.getIdleSince()); // idle since then, not since "a window ago" each pass
            }
            IdleWorkloadAction action = policy.getAction() == IdleAction.ScaleDown
                    ? scaleDown(pool, finding, entry, earlier == null ? null : earlier.getAction(), now)
                    : IdleWorkloadAction.Report;
            if (action == null) {
                continue;
            }
            entry.setAction(action);
            if (!action.recorded()) {
                idleGpus += (int) Math.round(finding.gpus());
                if (++listedOnly > MAX_LISTED) {
                    continue; // what the pool scaled down is always listed: the list is its restore index
                }
            }
            idle.add(entry);
        }
        String message = report.idle().size() + " idle workloads" + (listedOnly > MAX_LISTED ? " (the "
                + MAX_LISTED + " costliest listed)" : "") + ", " + report.podsWithoutEvidence()
                + " GPU pods without enough samples yet.";
        return new Outcome(true, "Available", message, idle, recommendations(report), idleGpus);
    }

    /**
     * Scales an idle workload down through the shared mechanism; returns what was done, or null when there is
     * nothing to list: the workload is gone, stopped already by someone else (its last pods still terminating),
     * or changed while being stopped (decided again next pass).
     */
    private IdleWorkloadAction scaleDown(GpuPool pool, IdleReport.Finding finding, IdleWorkload entry,
            IdleWorkloadAction actionBefore, Instant now) {
        WorkloadRef ref = IdleScaleDowns.ref(entry);
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            if (found.isEmpty()) {
                return null;
            }
            WorkloadState state = found.get();
            if (state.exempt()) {
                return IdleWorkloadAction.Exempt;
            }
            if (!state.stoppable()) {
                return cannotScaleDown(pool, ref, state.cannotStopReason(), actionBefore);
            }
            Optional<RestoreRecord> record = state.record();
            if (record.filter(r -> !IdleScaleDowns.owner(pool).equals(r.owner())).isPresent()) {
                return IdleWorkloadAction.Skipped;
            }
            if (record.filter(r -> r.resumedByUserAt() != null).isPresent()) {
                return IdleWorkloadAction.WokenByUser;
            }
            if (state.stopped()) {
                // never stop twice: a second record would say "0 replicas before"
                return record.isPresent() ? IdleWorkloadAction.ScaledDown : null;
            }
            workloads.stop(state, IdleScaleDowns.owner(pool), now);
            entry.setScaledDownAt(now.toString());
            scaleDowns.scaledDown(pool, ref, entry);
            String message = ref.describe() + " held " + gpusText(finding.gpus()) + " idle GPUs ("
                    + Money.formatCents(finding.costMicrosPerHour()) + "/h) for " + pool.getSpec().getIdle()
                    .getWindow() + "; scaled down. Annotate it " + RestoreRecord.RESTORE + "=true to bring it back.";
            events.publish(pool, "Warning", "IdleScaledDown", message);
            events.publish(state.eventTarget(), "Warning", "IdleScaledDown", message);
            return IdleWorkloadAction.ScaledDown;
        } catch (KubernetesClientException e) {
            return e.getCode() == 409 ? null : cannotScaleDown(pool, ref, e.getMessage(), actionBefore);
        }
    }

    private static List<IdleReport.Finding> costliestFirst(List<IdleReport.Finding> findings) {
        return findings.stream().sorted(Comparator.comparingLong(IdleReport.Finding::costMicrosPerHour).reversed())
                .toList();
    }

    /** A Warning when a workload first turns out impossible to scale down, not on every pass after. */
    private IdleWorkloadAction cannotScaleDown(GpuPool pool, WorkloadRef ref, String why,
            IdleWorkloadAction actionBefore) {
        if (actionBefore != IdleWorkloadAction.CannotScaleDown) {
            events.publish(pool, "Warning", "IdleScaleDownFailed", "Cannot scale down idle " + ref.describe() + ": "
                    + why);
        }
        return IdleWorkloadAction.CannotScaleDown;
    }

    /** The entries of workloads that carry the pool's record: scaled down, or running again since. */
    private static List<IdleWorkload> recorded(List<IdleWorkload> entries) {
        return entries == null ? List.of()
                : entries.stream().filter(entry -> entry.getAction() != null && entry.getAction().recorded())
                        .toList();
    }

    private static Map<WorkloadRef, IdleWorkload> byRef(List<IdleWorkload> entries) {
        Map<WorkloadRef, IdleWorkload> map = new LinkedHashMap<>();
        (entries == null ? List.<IdleWorkload>of() : entries).forEach(entry -> map.put(IdleScaleDowns.ref(entry), entry));
        return map;
    }

    private static List<Recommendation> recommendations(IdleReport report) {
        List<Recommendation> recommendations = new ArrayList<>();
        for (IdleReport.Advice advice : report.rightsizing().stream()
                .sorted(Comparator.comparingLong(IdleReport.Advice::savingsMicrosPerHour).reversed())
                .limit(MAX_LISTED).toList()) {
            Recommendation recommendation = new Recommendation();
            recommendation.setNamespace(advice.namespace());
            recommendation.setKind(advice.workload().kind());
            recommendation.setName(advice.workload().name());
            recommendation.setRequestedGpus(advice.requestedGpus());
            // in steps of 5: a mean that wobbles by a point must not rewrite the status every pass
            recommendation.setUsedPercent((int) (Math.round(advice.usedPercent() / 5) * 5));
            recommendation.setRecommendedGpus(advice.recommendedGpus());
            recommendation.setSavingsPerHour(Money.formatCents(advice.savingsMicrosPerHour()));
            recommendations.add(recommendation);
        }
        return recommendations;
    }

    private static IdleWorkload idleWorkload(IdleReport.Finding finding) {
        IdleWorkload workload = new IdleWorkload();
        workload.setNamespace(finding.namespace());
        workload.setApiVersion(finding.apiVersion());
        workload.setKind(finding.workload().kind());
        workload.setName(finding.workload().name());
        workload.setGpus(gpusText(finding.gpus()));
        workload.setIdleSince(finding.idleSince().toString());
        workload.setCostPerHour(Money.formatCents(finding.costMicrosPerHour()));
        return workload;
    }

    /** GPUs as people write them: "2", "0.25". */
    private static String gpusText(double gpus) {
        return java.math.BigDecimal.valueOf(gpus).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    private static long costPerHour(GpuPod pod, Map<String, GpuNode> nodes, NodePriceBook book) {
        GpuNode node = nodes.get(pod.nodeName());
        Optional<NodeRate> rate = book.rateOf(pod.nodeName()).filter(NodeRate::known);
        return node == null || rate.isEmpty() ? 0
                : HourlyRate.of(rate.get().microsPerHour(), node.gpus().shareOf(pod.gpuRequests())).perHour();
    }

    private static double gpus(GpuPod pod, Map<String, GpuNode> nodes) {
        GpuNode node = nodes.get(pod.nodeName());
        return node == null ? 0 : node.gpus().shareOf(pod.gpuRequests()).toDouble() * node.gpus().physical();
    }
}
