package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16's budget on the local cluster, the simulator playing the Kubeflow training operator and KubeRay on
 * their real CRDs: one budget selects a Deployment, a PyTorchJob's pods, a RayJob's pods, a pod owned by a kind
 * no CRD serves and a pod claiming a Deployment it does not belong to. Crossing the limit suspends the three
 * stoppable workloads, lists the unknown kind and the forged claim as CannotStop with their reasons, leaves the
 * claimed Deployment alone, and the ledger keeps moving every pass; raising the limit gives back exactly what was
 * there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MlWorkloadsBudgetE2EIT {

    private static final String NS = "ml-budget";
    private static final Map<String, String> SELECTED = Map.of("experiment", "ml-e2e");

    private static MlWorkloadsScenario scenario;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void setUp() {
        LocalCluster cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
        scenario = MlWorkloadsScenario.start(cluster, NS, 2);
        operator = new OperatorProcess(cluster, "ml-budget", Map.of("FINOPS_PASS_INTERVAL", "2s",
                "FINOPS_ACCRUAL_SETTLE_DELAY", "2s", "FINOPS_LEDGER_MAX_LAG", "4s", "QUARKUS_PROFILE", "e2e")).start();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        operator.close();
        scenario.close();
    }

    @Test
    @Order(1)
    void crossingTheLimitSuspendsWhatCanBeStoppedAndListsTheRestWhileTheLedgerMoves() {
        scenario.deployment("serve", 2, 1, SELECTED);
        scenario.pyTorchJob("bert", 2, 1, SELECTED);
        scenario.rayJob("tune", 1, 1, SELECTED);
        scenario.deployment("victim", 1, 1, Map.of("experiment", "someone-else"));
        scenario.podOwnedByUnknownKind("notebook", SELECTED);
        await().atMost(Duration.ofSeconds(90)).until(() -> running("serve") == 2 && running("bert") == 2
                && running("victim") == 1 && running("notebook") == 1 && running("tune") >= 1);
        scenario.podClaiming(deployment("victim"), "intruder", SELECTED);
        client.resource(budget()).create();

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(deployment("serve").getSpec().getReplicas()).isZero();
            assertThat(custom("kubeflow.org/v1", "PyTorchJob", "bert").<Object>get("spec", "runPolicy", "suspend"))
                    .isEqualTo(true);
            assertThat(custom("ray.io/v1", "RayJob", "tune").<Object>get("spec", "suspend")).isEqualTo(true);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<SuspendedWorkload> listed = status().getSuspended();
            assertThat(entry(listed, "Deployment", "serve")).hasValueSatisfying(e -> {
                assertThat(e.getState()).isEqualTo(SuspendedWorkloadState.Suspended);
                assertThat(e.getReplicasBefore()).isEqualTo(2);
            });
            assertThat(entry(listed, "PyTorchJob", "bert")).map(SuspendedWorkload::getState)
                    .contains(SuspendedWorkloadState.Suspended);
            assertThat(entry(listed, "RayJob", "tune")).map(SuspendedWorkload::getState)
                    .contains(SuspendedWorkloadState.Suspended);
            assertThat(entry(listed, "Notebook", "notebook")).hasValueSatisfying(e -> {
                assertThat(e.getState()).isEqualTo(SuspendedWorkloadState.CannotStop);
                assertThat(e.getMessage()).contains("no CRD serves Notebook");
            });
            assertThat(listed).anySatisfy(e -> {
                assertThat(e.getState()).isEqualTo(SuspendedWorkloadState.CannotStop);
                assertThat(e.getMessage()).contains("intruder").contains("claims").contains("victim");
            });
        });
        Deployment victim = deployment("victim");
        assertThat(victim.getSpec().getReplicas()).as("the claimed owner is never stopped").isEqualTo(1);
        assertThat(victim.getMetadata().getAnnotations() == null ? Map.of() : victim.getMetadata().getAnnotations())
                .doesNotContainKey("finops.dev/suspended-by");
        await().atMost(Duration.ofSeconds(30)).until(() -> scenario.podsOf("bert").isEmpty()
                && scenario.podsOf("serve").isEmpty());

        // what cannot be stopped keeps running and costing: the ledger moves on, pass after pass
        ExperimentBudgetStatus before = status();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ExperimentBudgetStatus now = status();
            assertThat(Instant.parse(now.getLedger().getAccruedUntil()))
                    .isAfter(Instant.parse(before.getLedger().getAccruedUntil()).plusSeconds(4));
            assertThat(now.getLedger().getSpentMicros()).isGreaterThan(before.getLedger().getSpentMicros());
        });
    }

    @Test
    @Order(2)
    void raisingTheLimitGivesBackExactlyWhatWasThere() {
        ExperimentBudget raised = client.resources(ExperimentBudget.class).inNamespace(NS).withName("ml").get();
        raised.getSpec().setLimit(new IntOrString("100000"));
        client.resource(raised).update();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(deployment("serve").getSpec().getReplicas()).isEqualTo(2);
            assertThat(custom("kubeflow.org/v1", "PyTorchJob", "bert").<Object>get("spec", "runPolicy", "suspend"))
                    .isEqualTo(false);
            assertThat(custom("ray.io/v1", "RayJob", "tune").<Object>get("spec", "suspend")).isEqualTo(false);
            assertThat(running("bert")).isEqualTo(2);
            assertThat(running("serve")).isEqualTo(2);
        });
        for (GenericKubernetesResource restored : List.of(custom("kubeflow.org/v1", "PyTorchJob", "bert"),
                custom("ray.io/v1", "RayJob", "tune"))) {
            assertThat(restored.getMetadata().getAnnotations() == null ? Map.of()
                    : restored.getMetadata().getAnnotations()).doesNotContainKey("finops.dev/suspended-by");
        }
        assertThat(deployment("victim").getSpec().getReplicas()).isEqualTo(1);
    }

    private static ExperimentBudget budget() {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("ml");
        budget.getMetadata().setNamespace(NS);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam("ml-platform");
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(SELECTED).build());
        spec.setLimit(new IntOrString("0.05"));
        spec.setPeriod(dev.finops.operator.api.BudgetPeriod.Total);
        spec.getEnforcement().setAction(EnforcementAction.Suspend);
        spec.getEnforcement().setGracePeriod("0s");
        budget.setSpec(spec);
        return budget;
    }

    private static ExperimentBudgetStatus status() {
        ExperimentBudgetStatus status = client.resources(ExperimentBudget.class).inNamespace(NS).withName("ml").get()
                .getStatus();
        assertThat(status).isNotNull();
        assertThat(status.getLedger()).isNotNull();
        return status;
    }

    private static Optional<SuspendedWorkload> entry(List<SuspendedWorkload> listed, String kind, String name) {
        return listed == null ? Optional.empty() : listed.stream()
                .filter(e -> kind.equals(e.getKind()) && name.equals(e.getName())).findFirst();
    }

    private static long running(String workload) {
        return scenario.podsOf(workload).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && "Running".equals(p.getStatus().getPhase())).count();
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static GenericKubernetesResource custom(String apiVersion, String kind, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(NS).withName(name).get();
    }
}
