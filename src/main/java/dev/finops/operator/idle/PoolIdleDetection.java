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
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadRef;
import dev.finops.operator.workload.WorkloadState;
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

    private final OperatorConfig config;
    private final WorkloadController workloads;
    private final ConditionEvents events;
    private volatile HttpClient http;

    public PoolIdleDetection(OperatorConfig config, WorkloadController workloads, ConditionEvents events) {
        this.config = config;
        this.workloads = workloads;
        this.events = events;
    }

    /**
     * Detects (when the pool enables it) and records the outcome in the pool's status: idle workloads,
     * rightsizing advice, idle GPUs added to the unallocated ones, and the IdleDetectionAvailable condition.
     */
    public void apply(GpuPool pool, GpuPoolStatus status, List<GpuNode> nodes, List<GpuPod> pods,
            NodePriceBook book, Long generation, Instant now) {
        IdlePolicy policy = pool.getSpec().getIdle();
        if (policy == null || !Boolean.TRUE.equals(policy.getEnabled())) {
            status.setIdleWorkloads(null);
            status.setRecommendations(null);
            status.setConditions(Conditions.remove(status.getConditions(), CONDITION));
            return;
        }
        Outcome outcome = detect(pool, nodes, pods, book, now);
        status.setIdleWorkloads(outcome.idle().isEmpty() ? null : outcome.idle());
        status.setRecommendations(outcome.recommendations().isEmpty() ? null : outcome.recommendations());
        if (status.getGpus() != null && outcome.idleGpus() > 0) {
            status.getGpus().setIdle(Math.min(status.getGpus().getTotal(), status.getGpus().getIdle() + outcome.idleGpus()));
        }
        status.setConditions(Conditions.set(status.getConditions(), CONDITION, outcome.available(), outcome.reason(),
                outcome.message(), generation, now));
    }

    public Outcome detect(GpuPool pool, List<GpuNode> nodes, List<GpuPod> pods, NodePriceBook book, Instant now) {
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
        String owner = "gpupool/" + pool.getMetadata().getName();
        List<IdleWorkload> idle = new ArrayList<>();
        int idleGpus = 0;
        for (IdleReport.Finding finding : report.idle()) {
            String action = policy.getAction() == IdleAction.ScaleDown ? scaleDown(pool, finding, owner, now) : "Report";
            idle.add(idleWorkload(finding, action));
            idleGpus += (int) Math.round(finding.gpus());
        }
        restoreRequested(pods, owner);
        String message = report.idle().size() + " idle workloads, " + report.podsWithoutEvidence()
                + " GPU pods without enough samples yet.";
        return new Outcome(true, "Available", message, idle, recommendations(report), idleGpus);
    }

    private String scaleDown(GpuPool pool, IdleReport.Finding finding, String owner, Instant now) {
        WorkloadRef ref = new WorkloadRef(finding.apiVersion(), finding.workload().kind(), finding.namespace(),
                finding.workload().name());
        Optional<WorkloadState> state = workloads.inspect(ref);
        if (state.isEmpty() || state.get().exempt() || !state.get().stoppable()) {
            return state.map(s -> s.exempt() ? "Exempt" : "CannotScaleDown").orElse("Gone");
        }
        if (state.get().record().isPresent()) {
            // ours and running again: a person woke it; the record goes, a full new idle window is needed
            workloads.restore(state.get());
            return "WokenByUser";
        }
        workloads.stop(state.get(), owner, now);
        events.publish(pool, "Warning", "IdleScaledDown", ref.describe() + " held " + gpusText(finding.gpus())
                + " idle GPUs (" + Money.formatCents(finding.costMicrosPerHour()) + "/h); scaled down. Annotate it "
                + "finops.dev/restore=true to bring it back.");
        return "ScaledDown";
    }

    /** Workloads this pool scaled down that a person asked back with {@code finops.dev/restore: "true"}. */
    private void restoreRequested(List<GpuPod> pods, String owner) {
        // Scaled-down workloads have no running pods left; their records are found on the workloads themselves.
        pods.stream().map(GpuPod::namespace).distinct().forEach(namespace ->
                workloads.recordedBy(namespace, owner).forEach(ref -> workloads.inspect(ref)
                        .filter(state -> state.record().isPresent() && state.restoreRequested())
                        .ifPresent(workloads::restore)));
    }

    private static List<Recommendation> recommendations(IdleReport report) {
        List<Recommendation> recommendations = new ArrayList<>();
        for (IdleReport.Advice advice : report.rightsizing()) {
            Recommendation recommendation = new Recommendation();
            recommendation.setNamespace(advice.namespace());
            recommendation.setKind(advice.workload().kind());
            recommendation.setName(advice.workload().name());
            recommendation.setRequestedGpus(advice.requestedGpus());
            recommendation.setRecommendedGpus(advice.recommendedGpus());
            recommendation.setSavingsPerHour(Money.formatCents(advice.savingsMicrosPerHour()));
            recommendations.add(recommendation);
        }
        return recommendations;
    }

    private static IdleWorkload idleWorkload(IdleReport.Finding finding, String action) {
        IdleWorkload workload = new IdleWorkload();
        workload.setNamespace(finding.namespace());
        workload.setKind(finding.workload().kind());
        workload.setName(finding.workload().name());
        workload.setGpus(gpusText(finding.gpus()));
        workload.setIdleSince(finding.idleSince().toString());
        workload.setCostPerHour(Money.formatCents(finding.costMicrosPerHour()));
        workload.setAction(action);
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
