package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.IdleAction;
import dev.finops.operator.api.IdlePolicy;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.api.Recommendation;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.cost.HourlyRate;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.NodeRate;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Idle GPU detection for one pool and pass: the scale-downs followed first ({@link IdleScaleDowns}), then one
 * question to the {@link GpuUsageSource}, the evidence-only {@link IdleRules}, the findings merged with what is
 * followed ({@link IdleFindings}, pure), and for {@code action: ScaleDown} each new idle workload's verdict
 * carried out ({@link IdleScaleDownActions}). No answer from the source means no action at all.
 */
@ApplicationScoped
public class PoolIdleDetection {

    /** What detection found and did, for the pool's status. */
    public record Outcome(boolean available, IdleDetectionReason reason, String message, List<IdleWorkload> idle,
            List<Recommendation> recommendations, int idleGpus) {

        static Outcome unavailable(IdleDetectionReason reason, String message) {
            return new Outcome(false, reason, message, List.of(), List.of(), 0);
        }
    }

    static final String CONDITION = "IdleDetectionAvailable";
    /** At most this many idle workloads only reported, and rightsizing advices, go into a pool's status. */
    static final int MAX_LISTED = 50;

    private final GpuUsageSource usage;
    private final IdleScaleDowns scaleDowns;
    private final IdleScaleDownActions actions;

    public PoolIdleDetection(GpuUsageSource usage, IdleScaleDowns scaleDowns, IdleScaleDownActions actions) {
        this.usage = usage;
        this.scaleDowns = scaleDowns;
        this.actions = actions;
    }

    /**
     * Detects (when the pool enables it) and records the outcome in the pool's status: idle workloads, those
     * scaled down earlier, rightsizing advice, idle GPUs added to the unallocated ones, and the
     * IdleDetectionAvailable condition. A pool that no longer scales down gives back what it scaled down.
     */
    public void apply(GpuPool pool, GpuPoolStatus status, List<GpuNode> nodes, List<GpuPod> pods,
            NodePriceBook book, Long generation, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        Map<WorkloadRef, IdleWorkload> before = IdleFindings.byRef(status.getIdleWorkloads());
        List<IdleWorkload> listed = IdleFindings.recorded(status.getIdleWorkloads());
        boolean enabled = policy != null && Boolean.TRUE.equals(policy.getEnabled());
        // scale-downs first: a workload running again in the meantime is marked before detection sees it
        List<IdleWorkload> entries = new ArrayList<>(enabled && policy.getAction() == IdleAction.ScaleDown
                ? scaleDowns.follow(pool, listed, policy.getWindow(), now)
                : scaleDowns.restoreAll(pool, listed, enabled ? "the pool's idle action is now Report"
                        : "the pool's idle detection is switched off", false));
        if (!enabled) {
            status.setIdleWorkloads(entries.isEmpty() ? null : entries);
            status.setRecommendations(null);
            status.setConditions(Conditions.remove(status.getConditions(), CONDITION));
            return;
        }
        Outcome outcome = detect(pool, nodes, pods, book, before, entries, now);
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
        boolean released = scaleDowns.restoreAll(pool, IdleFindings.recorded(pool.getStatus() == null ? null
                : pool.getStatus().getIdleWorkloads()), "the pool " + pool.getMetadata().getName() + " was deleted", true)
                .isEmpty();
        if (released) {
            scaleDowns.forget(pool);
        }
        return released;
    }

    /**
     * One pass of detection; {@code before} is what the status listed, so that repeated findings stay stable;
     * {@code followed} are the workloads listed with the pool's record this pass (one scaled down, or woken by a
     * person, is not judged again).
     */
    Outcome detect(GpuPool pool, List<GpuNode> nodes, List<GpuPod> pods, NodePriceBook book,
            Map<WorkloadRef, IdleWorkload> before, List<IdleWorkload> followed, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        if (!usage.configured()) {
            return Outcome.unavailable(IdleDetectionReason.PrometheusNotConfigured,
                    "Set finops.prometheus.url (FINOPS_PROMETHEUS_URL) to detect idle GPUs; nothing is scaled down.");
        }
        if (nodes.isEmpty()) {
            return new Outcome(true, IdleDetectionReason.NoNodes, "The pool has no GPU nodes.", List.of(), List.of(), 0);
        }
        Duration window = GoDuration.parse(policy.getWindow());
        Map<String, GpuUsage> measured;
        try {
            measured = usage.usage(policy.getMetric(), window, nodes.stream().map(GpuNode::name).toList());
        } catch (PrometheusUnavailableException e) {
            return Outcome.unavailable(e.reason(), e.getMessage() + "; nothing is scaled down.");
        }
        if (measured.isEmpty() && pods.stream().anyMatch(pod -> pod.start() != null && pod.end() == null)) {
            return Outcome.unavailable(IdleDetectionReason.NoSeries, "Prometheus has no " + policy.getMetric() + " series for the "
                    + "pool's nodes; is the DCGM exporter scraped? Nothing is scaled down.");
        }
        IdleReport report = evaluate(policy, window, nodes, pods, measured, book, now);
        List<IdleFindings.Decided> decided = new ArrayList<>();
        for (IdleFindings.Candidate candidate : IdleFindings.candidates(report.idle(), followed, before)) {
            decided.add(new IdleFindings.Decided(candidate, policy.getAction() == IdleAction.ScaleDown
                    ? actions.scaleDown(pool, candidate, now) : IdleWorkloadAction.Report));
        }
        IdleFindings.Listing listing = IdleFindings.list(decided, MAX_LISTED);
        String message = report.idle().size() + " idle workloads" + (listing.reportedOnly() > MAX_LISTED ? " (the "
                + MAX_LISTED + " costliest listed)" : "") + ", " + report.podsWithoutEvidence()
                + " GPU pods without enough samples yet.";
        return new Outcome(true, IdleDetectionReason.Available, message, listing.entries(),
                IdleFindings.recommendations(report, MAX_LISTED), listing.idleGpus());
    }

    private IdleReport evaluate(IdlePolicy policy, Duration window, List<GpuNode> nodes, List<GpuPod> pods,
            Map<String, GpuUsage> measured, NodePriceBook book, Instant now) {
        Map<String, GpuNode> byName = nodes.stream().collect(Collectors.toMap(GpuNode::name, node -> node));
        return IdleRules.evaluate(pods, measured, new IdleRules.Policy(policy.getThresholdPercent(), window,
                usage.scrapeInterval(), policy.getExemptSelector() == null ? null
                        : LabelSelectorMatcher.compile("spec.idle.exemptSelector", policy.getExemptSelector())),
                now, pod -> costPerHour(pod, byName, book), pod -> gpus(pod, byName));
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
