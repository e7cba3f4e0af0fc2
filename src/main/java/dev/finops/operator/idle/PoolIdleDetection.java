package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.IdleAction;
import dev.finops.operator.api.IdlePolicy;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.Recommendation;
import dev.finops.operator.cluster.GpuNode;
import dev.finops.operator.cluster.GpuPod;
import dev.finops.operator.cluster.LabelSelectorMatcher;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.cost.HourlyRate;
import dev.finops.operator.cost.Money;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.NodeRate;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadRef;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Idle GPU detection for one pool and pass: one Prometheus query, the evidence-only {@link IdleRules}, and for
 * {@code action: ScaleDown} a reversible scale-down through the shared {@link WorkloadController}. No answer
 * from Prometheus means no action at all.
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
    static final String SCALED_DOWN = "ScaledDown";
    static final String WOKEN_BY_USER = "WokenByUser";

    private final OperatorConfig config;
    private final WorkloadController workloads;
    private final IdleScaleDowns scaleDowns;
    private final ConditionEvents events;
    private volatile HttpClient http;

    public PoolIdleDetection(OperatorConfig config, WorkloadController workloads, IdleScaleDowns scaleDowns,
            ConditionEvents events) {
        this.config = config;
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
        List<IdleWorkload> listed = scaledDownIn(status);
        Set<String> namespaces = namespaces(pods);
        boolean enabled = policy != null && Boolean.TRUE.equals(policy.getEnabled());
        if (!enabled || policy.getAction() != IdleAction.ScaleDown) {
            scaleDowns.restoreAll(pool, listed, namespaces, enabled ? "the pool's idle action is now Report"
                    : "the pool's idle detection is switched off");
        }
        if (!enabled) {
            status.setIdleWorkloads(null);
            status.setRecommendations(null);
            status.setConditions(Conditions.remove(status.getConditions(), CONDITION));
            return;
        }
        // scale-downs first: a workload a person woke up in the meantime loses its record before detection
        List<IdleWorkload> entries = new ArrayList<>(policy.getAction() == IdleAction.ScaleDown
                ? scaleDowns.follow(pool, listed, namespaces, policy.getWindow(), now) : List.of());
        Outcome outcome = detect(pool, nodes, pods, book, now);
        outcome.idle().stream().filter(found -> entries.stream().noneMatch(entry -> sameWorkload(entry, found)))
                .forEach(entries::add);
        status.setIdleWorkloads(entries.isEmpty() ? null : entries);
        status.setRecommendations(outcome.recommendations().isEmpty() ? null : outcome.recommendations());
        if (status.getGpus() != null && outcome.idleGpus() > 0) {
            status.getGpus().setIdle(Math.min(status.getGpus().getTotal(), status.getGpus().getIdle() + outcome.idleGpus()));
        }
        status.setConditions(Conditions.set(status.getConditions(), CONDITION, outcome.available(), outcome.reason(),
                outcome.message(), generation, now));
    }

    /** Gives back everything a deleted pool scaled down; false when some workload must be tried again. */
    public boolean release(GpuPool pool, List<GpuPod> pods) {
        boolean released = scaleDowns.restoreAll(pool, scaledDownIn(pool.getStatus()), namespaces(pods), "the pool "
                + pool.getMetadata().getName() + " was deleted");
        if (released) {
            scaleDowns.forget(pool);
        }
        return released;
    }

    Outcome detect(GpuPool pool, List<GpuNode> nodes, List<GpuPod> pods, NodePriceBook book, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        Optional<String> url = config.prometheus().url();
        if (url.isEmpty()) {
            return Outcome.unavailable("PrometheusNotConfigured",
                    "Set finops.prometheus.url (FINOPS_PROMETHEUS_URL) to detect idle GPUs; nothing is scaled down.");
        }
        if (nodes.isEmpty()) {
            return new Outcome(true, "NoNodes", "The pool has no GPU nodes.", List.of(), List.of(), 0);
        }
        Map<String, GpuUsage> usage;
        try {
            usage = client(url.get()).usage(policy.getMetric(), GoDuration.parse(policy.getWindow()),
                    nodes.stream().map(GpuNode::name).toList(), config.prometheus().namespaceLabel(),
                    config.prometheus().podLabel());
        } catch (PrometheusUnavailableException | IOException | IllegalStateException e) {
            return Outcome.unavailable("PrometheusUnavailable", e.getMessage() + "; nothing is scaled down.");
        }
        if (usage.isEmpty() && pods.stream().anyMatch(pod -> pod.start() != null && pod.end() == null)) {
            return Outcome.unavailable("NoSeries", "Prometheus has no " + policy.getMetric() + " series for the "
                    + "pool's nodes; is the DCGM exporter scraped? Nothing is scaled down.");
        }
        Map<String, GpuNode> byName = nodes.stream().collect(Collectors.toMap(GpuNode::name, node -> node));
        IdleReport report = IdleRules.evaluate(pods, usage, new IdleRules.Policy(policy.getThresholdPercent(),
                GoDuration.parse(policy.getWindow()), config.prometheus().scrapeInterval(),
                policy.getExemptSelector() == null ? null
                        : LabelSelectorMatcher.compile("spec.idle.exemptSelector", policy.getExemptSelector())),
                now, pod -> costPerHour(pod, byName, book), pod -> gpus(pod, byName));
        List<IdleWorkload> idle = new ArrayList<>();
        int idleGpus = 0;
        for (IdleReport.Finding finding : report.idle()) {
            IdleWorkload entry = idleWorkload(finding);
            entry.setAction(policy.getAction() == IdleAction.ScaleDown ? scaleDown(pool, finding, entry, now)
                    : IdleAction.Report.name());
            if (entry.getAction() == null) {
                continue;
            }
            idle.add(entry);
            if (!SCALED_DOWN.equals(entry.getAction())) {
                idleGpus += (int) Math.round(finding.gpus());
            }
        }
        String message = report.idle().size() + " idle workloads, " + report.podsWithoutEvidence()
                + " GPU pods without enough samples yet.";
        return new Outcome(true, "Available", message, idle, recommendations(report), idleGpus);
    }

    /**
     * Scales an idle workload down through the shared mechanism; returns the action taken, or null when the
     * workload is stopped already (its last pods are still terminating) and someone else stopped it.
     */
    private String scaleDown(GpuPool pool, IdleReport.Finding finding, IdleWorkload entry, Instant now) {
        WorkloadRef ref = IdleScaleDowns.ref(entry);
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            if (found.isEmpty()) {
                return "Gone";
            }
            WorkloadState state = found.get();
            if (state.exempt()) {
                return "Exempt";
            }
            if (!state.stoppable()) {
                return "CannotScaleDown";
            }
            Optional<RestoreRecord> record = state.record();
            if (record.filter(r -> !IdleScaleDowns.owner(pool).equals(r.owner())).isPresent()) {
                return "Skipped";
            }
            if (record.filter(r -> r.resumedByUserAt() != null).isPresent()) {
                return WOKEN_BY_USER;
            }
            if (state.stopped()) {
                // never stop twice: a second record would say "0 replicas before"
                return record.isPresent() ? SCALED_DOWN : null;
            }
            workloads.stop(state, IdleScaleDowns.owner(pool), now);
            entry.setScaledDownAt(now.toString());
            scaleDowns.scaledDown(pool, ref, entry);
            String message = ref.describe() + " held " + gpusText(finding.gpus()) + " idle GPUs ("
                    + Money.formatCents(finding.costMicrosPerHour()) + "/h) for " + pool.getSpec().getIdle()
                    .getWindow() + "; scaled down. Annotate it " + RestoreRecord.RESTORE + "=true to bring it back.";
            events.publish(pool, "Warning", "IdleScaledDown", message);
            events.publish(state.eventTarget(), "Warning", "IdleScaledDown", message);
            return SCALED_DOWN;
        } catch (KubernetesClientException e) {
            events.publish(pool, "Warning", "IdleScaleDownFailed", "Cannot scale down idle " + ref.describe() + ": "
                    + e.getMessage());
            return "CannotScaleDown";
        }
    }

    /** The entries of workloads that carry the pool's record: scaled down, or woken by a person. */
    private static List<IdleWorkload> scaledDownIn(GpuPoolStatus status) {
        return status == null || status.getIdleWorkloads() == null ? List.of()
                : status.getIdleWorkloads().stream().filter(entry -> SCALED_DOWN.equals(entry.getAction())
                        || WOKEN_BY_USER.equals(entry.getAction())).toList();
    }

    private static Set<String> namespaces(List<GpuPod> pods) {
        return pods.stream().map(GpuPod::namespace).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static boolean sameWorkload(IdleWorkload a, IdleWorkload b) {
        return a.getNamespace().equals(b.getNamespace()) && a.getKind().equals(b.getKind())
                && a.getName().equals(b.getName());
    }

    private static List<Recommendation> recommendations(IdleReport report) {
        List<Recommendation> recommendations = new ArrayList<>();
        for (IdleReport.Advice advice : report.rightsizing()) {
            Recommendation recommendation = new Recommendation();
            recommendation.setNamespace(advice.namespace());
            recommendation.setKind(advice.workload().kind());
            recommendation.setName(advice.workload().name());
            recommendation.setRequestedGpus(advice.requestedGpus());
            recommendation.setUsedPercent((int) Math.round(advice.usedPercent()));
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

    private PrometheusClient client(String url) throws IOException {
        Optional<String> token = Optional.empty();
        if (config.prometheus().bearerTokenFile().isPresent()) {
            token = Optional.of(Files.readString(Path.of(config.prometheus().bearerTokenFile().get())).strip());
        }
        if (http == null) {
            http = PrometheusTls.client(config.prometheus().tlsCaFile(), config.prometheus().tlsInsecureSkipVerify());
        }
        return new PrometheusClient(http, URI.create(url), token, config.prometheus().timeout());
    }
}
