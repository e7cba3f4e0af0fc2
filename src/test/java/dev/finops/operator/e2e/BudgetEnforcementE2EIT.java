package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Budget enforcement on the local control plane, where the controller-manager turns Deployments and Jobs into
 * pods and kwok runs them on a simulated GPU node: suspend on exceeding, dry run, exemption, a person's
 * override, new arrivals, an operator restart, and the exact restore when the limit is raised.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetEnforcementE2EIT {

    private static final String NS = "enforce";
    private static final String DRY = "enforce-dry";
    private static final Map<String, String> TEAM = Map.of("team", "enforced");

    private static LocalCluster cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void setUp() {
        cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
        client.nodes().resource(GpuFixtures.p4dNode("enforce-gpu-0", "on-demand", Map.of()))
                .createOr(existing -> existing.update());
        cluster.namespace(NS);
        cluster.namespace(DRY);
        Map<String, String> fast = new HashMap<>(Map.of("FINOPS_PASS_INTERVAL", "2s",
                "FINOPS_ACCRUAL_SETTLE_DELAY", "1s", "FINOPS_LEDGER_MAX_LAG", "4s", "QUARKUS_PROFILE", "e2e"));
        operator = new OperatorProcess(cluster, "enforce", fast).start();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        client.namespaces().withName(NS).delete();
        client.namespaces().withName(DRY).delete();
        operator.close();
    }

    @Test
    @Order(1)
    void exceedingTheLimitSuspendsJobsAndScalesDeploymentsToZero() {
        deployment(NS, "trainer", 2, TEAM);
        deployment(NS, "protected", 1, Map.of("team", "enforced", "finops.dev/exempt", "true"));
        job(NS, "sweep", TEAM);
        deployment(DRY, "dry-trainer", 1, TEAM);
        cluster.awaitRunningPods(NS, 4);
        cluster.awaitRunningPods(DRY, 1);
        client.resource(budget(NS, "enforced", false)).create();
        client.resource(budget(DRY, "dry", true)).create();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(replicas(NS, "trainer")).isZero();
            assertThat(job(NS, "sweep").getSpec().getSuspend()).isTrue();
        });
        Deployment trainer = client.apps().deployments().inNamespace(NS).withName("trainer").get();
        assertThat(trainer.getMetadata().getAnnotations())
                .containsEntry("finops.dev/suspended-by", "enforced")
                .containsEntry("finops.dev/replicas-before", "2")
                .containsEntry("finops.dev/suspend-mode", "ScaleToZero");
        assertThat(replicas(NS, "protected")).as("exempt workload").isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ExperimentBudget stored = budget(NS, "enforced");
            assertThat(stored.getStatus().getPhase()).isEqualTo(BudgetPhase.Enforced);
            assertThat(stored.getStatus().getSuspended()).extracting(SuspendedWorkload::getKind,
                    SuspendedWorkload::getName, SuspendedWorkload::getReplicasBefore, SuspendedWorkload::getState)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("Deployment", "trainer", 2, SuspendedWorkloadState.Suspended),
                            org.assertj.core.groups.Tuple.tuple("Job", "sweep", null, SuspendedWorkloadState.Suspended),
                            // the exemption is visible, not silent
                            org.assertj.core.groups.Tuple.tuple("Deployment", "protected", null,
                                    SuspendedWorkloadState.Exempt));
        });
        Instant exceeded = Instant.parse(budget(NS, "enforced").getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("BudgetExceeded")).findFirst().orElseThrow().getLastTransitionTime());
        Instant suspended = Instant.parse(trainer.getMetadata().getAnnotations().get("finops.dev/suspended-at"));
        System.out.printf("crossing 100%% -> suspended: %d ms (grace period 0s, pass interval 2s)%n",
                Duration.between(exceeded, suspended).toMillis());
        assertThat(Duration.between(exceeded, suspended)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Order(2)
    void dryRunReportsAndTouchesNothing() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ExperimentBudget dry = budget(DRY, "dry");
            assertThat(dry.getStatus().getPhase()).isEqualTo(BudgetPhase.Exceeded);
            assertThat(dry.getStatus().getSuspended()).singleElement().satisfies(w -> {
                assertThat(w.getName()).isEqualTo("dry-trainer");
                assertThat(w.getState()).isEqualTo(SuspendedWorkloadState.DryRun);
            });
        });
        Deployment untouched = client.apps().deployments().inNamespace(DRY).withName("dry-trainer").get();
        assertThat(untouched.getSpec().getReplicas()).isEqualTo(1);
        assertThat(untouched.getMetadata().getAnnotations()).doesNotContainKey("finops.dev/suspended-by");
    }

    @Test
    @Order(3)
    void aNewWorkloadOfAnEnforcedBudgetIsSuspendedOnArrival() {
        deployment(NS, "latecomer", 1, TEAM);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicas(NS, "latecomer")).isZero());
        assertThat(client.apps().deployments().inNamespace(NS).withName("latecomer").get().getMetadata()
                .getAnnotations()).containsEntry("finops.dev/replicas-before", "1");
    }

    @Test
    @Order(4)
    void aRestartedOperatorKeepsEverythingConsistent() throws InterruptedException {
        operator.kill();
        operator.start();
        long writesBefore = client.apps().deployments().inNamespace(NS).withName("trainer").get().getMetadata()
                .getGeneration();

        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            ExperimentBudget stored = budget(NS, "enforced");
            assertThat(stored.getStatus().getPhase()).isEqualTo(BudgetPhase.Enforced);
            assertThat(stored.getStatus().getSuspended()).extracting(SuspendedWorkload::getName)
                    .containsExactlyInAnyOrder("trainer", "sweep", "latecomer", "protected");
        });
        Deployment trainer = client.apps().deployments().inNamespace(NS).withName("trainer").get();
        assertThat(trainer.getMetadata().getAnnotations()).containsEntry("finops.dev/replicas-before", "2");
        assertThat(trainer.getMetadata().getGeneration()).as("no new write to the workload").isEqualTo(writesBefore);
    }

    @Test
    @Order(5)
    void aWorkloadAPersonScaledBackUpIsReportedNotFought() {
        client.apps().deployments().inNamespace(NS).withName("latecomer").scale(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(budget(NS, "enforced").getStatus()
                .getSuspended()).anySatisfy(w -> {
                    assertThat(w.getName()).isEqualTo("latecomer");
                    assertThat(w.getState()).isEqualTo(SuspendedWorkloadState.ResumedByUser);
                }));
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(replicas(NS, "latecomer")).isEqualTo(1));
    }

    @Test
    @Order(6)
    void raisingTheLimitRestoresExactlyWhatWasThere() {
        // as kubectl patch does: no resourceVersion, so no conflict with the operator's status writes
        client.resources(ExperimentBudget.class).inNamespace(NS).withName("enforced")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"limit\":\"100000\"}}");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(replicas(NS, "trainer")).isEqualTo(2);
            assertThat(job(NS, "sweep").getSpec().getSuspend()).isFalse();
            assertThat(replicas(NS, "latecomer")).as("left as the person set it").isEqualTo(1);
            for (String name : List.of("trainer", "latecomer")) {
                assertThat(client.apps().deployments().inNamespace(NS).withName(name).get().getMetadata()
                        .getAnnotations()).doesNotContainKeys("finops.dev/suspended-by", "finops.dev/replicas-before");
            }
            ExperimentBudget stored = budget(NS, "enforced");
            assertThat(stored.getStatus().getPhase()).isNotEqualTo(BudgetPhase.Enforced);
            assertThat(stored.getStatus().getSuspended()).isNull();
        });
        cluster.awaitRunningPods(NS, 5);
    }

    private static ExperimentBudget budget(String namespace, String name, boolean dryRun) {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName(name);
        budget.getMetadata().setNamespace(namespace);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam("enforced");
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "enforced")).build());
        spec.setLimit(new IntOrString("0.01"));
        spec.setPeriod(dev.finops.operator.api.BudgetPeriod.Total);
        spec.getEnforcement().setAction(EnforcementAction.Suspend);
        spec.getEnforcement().setGracePeriod("0s");
        spec.getEnforcement().setDryRun(dryRun);
        budget.setSpec(spec);
        return budget;
    }

    private static ExperimentBudget budget(String namespace, String name) {
        return client.resources(ExperimentBudget.class).inNamespace(namespace).withName(name).get();
    }

    private static int replicas(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get().getSpec().getReplicas();
    }

    private static Job job(String namespace, String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private static void deployment(String namespace, String name, int replicas, Map<String, String> labels) {
        Map<String, String> podLabels = new HashMap<>(labels);
        podLabels.put("app", name);
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(gpuPod(podLabels, null)).endSpec().build();
        client.resource(deployment).create();
    }

    private static void job(String namespace, String name, Map<String, String> labels) {
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withBackoffLimit(0)
                .withTemplate(gpuPod(labels, Map.of("pod-complete.stage.kwok.x-k8s.io/delay", "1h",
                        "pod-complete.stage.kwok.x-k8s.io/jitter-delay", "1h")))
                .endSpec().build();
        client.resource(job).create();
    }

    private static PodTemplateSpec gpuPod(Map<String, String> labels, Map<String, String> annotations) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).withAnnotations(annotations)
                .endMetadata()
                .withNewSpec().withRestartPolicy(annotations == null ? "Always" : "Never")
                .withNodeSelector(Map.of("type", "kwok"))
                .addNewContainer().withName("main").withImage("registry.example/gpu:1")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer()
                .endSpec().build();
    }
}
