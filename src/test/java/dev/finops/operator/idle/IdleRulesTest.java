package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.WorkloadKey;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final IdleRules.Policy POLICY = new IdleRules.Policy(5, Duration.ofMinutes(30),
            Duration.ofSeconds(30), null);
    /** 60 samples expected in 30m at 30s; 48 is the 80% floor. */
    private static final long FULL = 60;

    private static GpuPod pod(String name, String workload, long gpus, Duration age, Map<String, String> labels) {
        return new GpuPod("uid-" + name, "ml", name, labels, "node-1", new WorkloadKey("Deployment", workload),
                "apps/v1", NOW.minus(age), null, Map.of("nvidia.com/gpu", gpus));
    }

    private static GpuPod pod(String name, String workload) {
        return pod(name, workload, 1, Duration.ofHours(2), Map.of());
    }

    private static IdleReport evaluate(List<GpuPod> pods, Map<String, GpuUsage> usage, IdleRules.Policy policy) {
        return IdleRules.evaluate(pods, usage, policy, NOW, pod -> 4_096_575L * pod.gpuRequests().get("nvidia.com/gpu"),
                pod -> pod.gpuRequests().get("nvidia.com/gpu"));
    }

    private static GpuUsage usage(String pod, double max, double mean, long samples) {
        return new GpuUsage("ml", pod, max, mean, samples);
    }

    @Test
    void aWorkloadIsIdleWhenEveryPodStayedUnderTheThresholdForTheWholeWindow() {
        IdleReport report = evaluate(List.of(pod("nb-1", "notebook"), pod("nb-2", "notebook")),
                Map.of("ml/nb-1", usage("nb-1", 1.2, 0.8, FULL), "ml/nb-2", usage("nb-2", 4.9, 2, 50)), POLICY);

        assertThat(report.idle()).singleElement().satisfies(finding -> {
            assertThat(finding.workload()).isEqualTo(new WorkloadKey("Deployment", "notebook"));
            assertThat(finding.gpus()).isEqualTo(2.0);
            assertThat(finding.costMicrosPerHour()).isEqualTo(8_193_150L);
            assertThat(finding.idleSince()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        });
    }

    @Test
    void onePeakAboveTheThresholdOrOneBusyPodKeepsTheWorkloadBusy() {
        IdleReport report = evaluate(List.of(pod("a-1", "woke-up"), pod("b-1", "half"), pod("b-2", "half")),
                Map.of("ml/a-1", usage("a-1", 40, 2, FULL),
                        "ml/b-1", usage("b-1", 1, 1, FULL), "ml/b-2", usage("b-2", 90, 80, FULL)), POLICY);

        assertThat(report.idle()).isEmpty();
    }

    @Test
    void withoutEnoughEvidenceNothingIsIdle() {
        IdleReport report = evaluate(List.of(pod("young", "new", 1, Duration.ofMinutes(10), Map.of()),
                pod("sparse", "sparse"), pod("unseen", "unseen")),
                Map.of("ml/young", usage("young", 0, 0, 20), "ml/sparse", usage("sparse", 0, 0, 47)), POLICY);

        assertThat(report.idle()).isEmpty();
        assertThat(report.podsWithoutEvidence()).isEqualTo(3);
    }

    @Test
    void exemptPodsAreNeverReported() {
        IdleRules.Policy exempting = new IdleRules.Policy(5, Duration.ofMinutes(30), Duration.ofSeconds(30),
                LabelSelectorMatcher.compile("spec.idle.exemptSelector",
                        new LabelSelectorBuilder().addToMatchLabels("tier", "critical").build()));
        IdleReport report = evaluate(List.of(pod("x", "labelled", 1, Duration.ofHours(1), Map.of("tier", "critical")),
                pod("y", "annotated", 1, Duration.ofHours(1), Map.of("finops.dev/exempt", "true"))),
                Map.of("ml/x", usage("x", 0, 0, FULL), "ml/y", usage("y", 0, 0, FULL)), exempting);

        assertThat(report.idle()).isEmpty();
    }

    @Test
    void eightGpusAtTenPercentGetARightsizingAdvice() {
        IdleReport report = evaluate(List.of(pod("big-1", "big", 8, Duration.ofHours(3), Map.of())),
                Map.of("ml/big-1", usage("big-1", 35, 10, FULL)), POLICY);

        assertThat(report.idle()).isEmpty();
        assertThat(report.rightsizing()).singleElement().satisfies(advice -> {
            assertThat(advice.requestedGpus()).isEqualTo(8);
            assertThat(advice.usedPercent()).isEqualTo(10);
            assertThat(advice.recommendedGpus()).isEqualTo(2);
            assertThat(advice.savingsMicrosPerHour()).isEqualTo(32_772_600L * 6 / 8);
        });
    }

    @Test
    void theQueryIsOneBatchedRoundTripOverThePoolsNodes() {
        String query = IdleQuery.build(dev.finops.operator.api.IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE,
                Duration.ofMinutes(30), List.of("ip-10-0-1-7.ec2.internal", "gpu-a"), "namespace", "pod");

        assertThat(query).isEqualTo("label_replace(max by (namespace, pod) (max_over_time("
                + "DCGM_FI_PROF_GR_ENGINE_ACTIVE{Hostname=~\"gpu-a|ip-10-0-1-7\\\\.ec2\\\\.internal\",pod!=\"\"}[1800s]))"
                + ", \"finops_stat\", \"max\", \"\", \"\") or label_replace(avg by (namespace, pod) (avg_over_time("
                + "DCGM_FI_PROF_GR_ENGINE_ACTIVE{Hostname=~\"gpu-a|ip-10-0-1-7\\\\.ec2\\\\.internal\",pod!=\"\"}[1800s]))"
                + ", \"finops_stat\", \"mean\", \"\", \"\") or label_replace(min by (namespace, pod) (count_over_time("
                + "DCGM_FI_PROF_GR_ENGINE_ACTIVE{Hostname=~\"gpu-a|ip-10-0-1-7\\\\.ec2\\\\.internal\",pod!=\"\"}[1800s]))"
                + ", \"finops_stat\", \"samples\", \"\", \"\")");
        assertThat(IdleQuery.toPercent(dev.finops.operator.api.IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE, 0.42))
                .isEqualTo(42.0);
        assertThat(IdleQuery.toPercent(dev.finops.operator.api.IdleMetric.DCGM_FI_DEV_GPU_UTIL, 42)).isEqualTo(42.0);
    }
}
