package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the local control plane while the ground-truth scenario plays, each run ending with the
 * ledger equal to the independently computed ground truth to the micro-unit and no action lost: the API server
 * SIGKILLed and down for 30 s while pods finish, etcd stopped and restarted, the operator SIGKILLed between a
 * workload's suspension and the status write that records it. (Two operators without leader election and ten
 * SIGKILLs at random moments are {@link CostGroundTruthE2EIT}; Prometheus down is {@code IdleScaleDownE2EIT}.)
 */
class ChaosE2EIT {

    /**
     * Fast passes; a settle delay that covers this scenario's own reports arriving late on a loaded machine (a
     * start reported later than it is counts from its report: a limit of the settle delay, not of outages).
     */
    private static final Map<String, String> FAST = Map.of(
            "FINOPS_PASS_INTERVAL", "2s",
            "FINOPS_ACCRUAL_SETTLE_DELAY", "10s",
            "FINOPS_LEDGER_MAX_LAG", "4s",
            "QUARKUS_PROFILE", "e2e");
    private static final Duration API_OUTAGE = Duration.ofSeconds(30);
    private static final Duration ETCD_OUTAGE = Duration.ofSeconds(25);
    private static final String HOLD_POLICY = "chaos-hold-suspension-records";

    private static LocalCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void installCrds() {
        cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
    }

    @Test
    void theApiServerKilledForThirtySecondsWhilePodsFinishLosesNoMoney() throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "chaos-api");
        try (OperatorProcess operator = new OperatorProcess(cluster, "chaos-api", FAST).start()) {
            awaitCounting("chaos-api");
            String budget = scenario.setUp();
            Thread player = play(scenario);
            Thread.sleep(14_000);
            cluster.kill("kube-apiserver");
            Instant down = Instant.now();
            Thread.sleep(API_OUTAGE.toMillis());
            cluster.startMissingComponents();
            System.out.printf("kube-apiserver down for %d ms (SIGKILL, restarted)%n",
                    Duration.between(down, Instant.now()).toMillis());
            player.join();
            assertThat(operator.alive()).as("the operator rides out the outage").isTrue();
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(120));
            scenario.tearDown();
        }
    }

    @Test
    void etcdStoppedAndRestartedLosesNoMoney() throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "chaos-etcd");
        try (OperatorProcess operator = new OperatorProcess(cluster, "chaos-etcd", FAST).start()) {
            awaitCounting("chaos-etcd");
            String budget = scenario.setUp();
            Thread player = play(scenario);
            Thread.sleep(12_000);
            cluster.stop("etcd");
            Instant down = Instant.now();
            Thread.sleep(ETCD_OUTAGE.toMillis());
            cluster.startMissingComponents(); // also whatever lost its lease meanwhile (controller-manager)
            System.out.printf("etcd down for %d ms (SIGTERM, restarted)%n",
                    Duration.between(down, Instant.now()).toMillis());
            player.join();
            assertThat(operator.alive()).as("the operator rides out the outage").isTrue();
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(120));
            scenario.tearDown();
        }
    }

    /**
     * A ValidatingAdmissionPolicy holds back every status write that would record a suspension, so the operator
     * is SIGKILLed exactly between suspending the workload and recording it; its successor finds the record on
     * the workload, lists it, and a raised limit restores exactly the replicas there were. The ground-truth
     * budget beside it counts every micro-unit once across the kill.
     */
    @Test
    void theOperatorKilledBetweenASuspensionAndItsStatusWriteLosesNeitherTheActionNorMoney() throws Exception {
        String ns = "chaos-kill-enforce";
        cluster.namespace(ns);
        client.nodes().resource(GpuFixtures.p4dNode("chaos-gpu-0", "on-demand", Map.of()))
                .createOr(existing -> existing.update());
        deployment(ns, "trainer", 2);
        cluster.awaitRunningPods(ns, 2);
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "chaos-kill");
        holdSuspensionRecords(ns);
        try (OperatorProcess operator = new OperatorProcess(cluster, "chaos-kill", FAST).start()) {
            awaitCounting("chaos-kill");
            String groundTruth = scenario.setUp();
            Thread player = play(scenario);
            client.resource(enforcingBudget(ns)).create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Deployment trainer = client.apps().deployments().inNamespace(ns).withName("trainer").get();
                assertThat(trainer.getSpec().getReplicas()).isZero();
                assertThat(trainer.getMetadata().getAnnotations()).containsEntry("finops.dev/suspended-by", "enforcer");
            });
            ExperimentBudgetStatus held = enforcer(ns).getStatus();
            assertThat(held == null ? null : held.getSuspended()).as("the suspension is not recorded in status yet")
                    .isNull();
            operator.kill();
            releaseSuspensionRecords();
            operator.start();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                ExperimentBudgetStatus status = enforcer(ns).getStatus();
                assertThat(status).isNotNull();
                assertThat(status.getPhase()).isEqualTo(BudgetPhase.Enforced);
                assertThat(status.getSuspended()).singleElement().satisfies(entry -> {
                    assertThat(entry.getName()).isEqualTo("trainer");
                    assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.Suspended);
                    assertThat(entry.getReplicasBefore()).isEqualTo(2);
                });
            });
            ExperimentBudget raised = enforcer(ns);
            raised.getSpec().setLimit(new IntOrString("100000"));
            client.resource(raised).update();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Deployment trainer = client.apps().deployments().inNamespace(ns).withName("trainer").get();
                assertThat(trainer.getSpec().getReplicas()).isEqualTo(2);
                assertThat(trainer.getMetadata().getAnnotations()).doesNotContainKey("finops.dev/suspended-by");
                assertThat(enforcer(ns).getStatus().getSuspended()).extracting(SuspendedWorkload::getName)
                        .doesNotContain("trainer");
            });
            player.join();
            scenario.awaitLedgerEqualsGroundTruth(groundTruth, Duration.ofSeconds(120));
            scenario.tearDown();
        } finally {
            releaseSuspensionRecords();
            client.namespaces().withName(ns).delete();
        }
    }

    /**
     * Waits until the operator just started writes ledgers (a budget of its own in namespace {@code chaos-warm-up}
     * has one), so a fault hits it mid-run rather than during its start.
     */
    private static void awaitCounting(String name) {
        cluster.namespace("chaos-warm-up");
        ExperimentBudget warmUp = enforcingBudget("chaos-warm-up");
        warmUp.getMetadata().setName(name);
        warmUp.getSpec().getEnforcement().setAction(EnforcementAction.None);
        client.resource(warmUp).createOr(existing -> existing.update());
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            ExperimentBudget stored = client.resources(ExperimentBudget.class).inNamespace("chaos-warm-up")
                    .withName(name).get();
            return stored.getStatus() != null && stored.getStatus().getLedger() != null;
        });
    }

    private static Thread play(GroundTruthScenario scenario) {
        Thread player = new Thread(() -> {
            try {
                scenario.play();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "scenario-" + scenario.namespace());
        player.start();
        return player;
    }

    /**
     * Refuses, in {@code namespace}, every budget status write that lists a workload as suspended, and waits until
     * the API server enforces it (a probe budget's such write is refused).
     */
    private static void holdSuspensionRecords(String namespace) {
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                    - apiGroups: [finops.dev]
                      apiVersions: ["*"]
                      operations: [UPDATE]
                      resources: [experimentbudgets/status]
                  validations:
                  - expression: >-
                      !has(object.status) || !has(object.status.suspended) ||
                      object.status.suspended.all(w, !has(w.state) || w.state != 'Suspended')
                    message: chaos test holds status writes that record a suspension
                """.formatted(HOLD_POLICY), GenericKubernetesResource.class)).serverSideApply();
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %s}
                spec:
                  policyName: %s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %s}
                """.formatted(HOLD_POLICY, HOLD_POLICY, namespace), GenericKubernetesResource.class)).serverSideApply();
        ExperimentBudget probe = enforcingBudget(namespace);
        probe.getMetadata().setName("probe");
        probe.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("probe", "none")).build());
        ExperimentBudget created = client.resource(probe).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ExperimentBudget current = client.resources(ExperimentBudget.class).inNamespace(namespace)
                    .withName("probe").get();
            ExperimentBudgetStatus status = current.getStatus() == null ? new ExperimentBudgetStatus()
                    : current.getStatus();
            SuspendedWorkload entry = new SuspendedWorkload();
            entry.setApiVersion("apps/v1");
            entry.setKind("Deployment");
            entry.setName("probe");
            entry.setState(SuspendedWorkloadState.Suspended);
            status.setSuspended(java.util.List.of(entry));
            current.setStatus(status);
            try {
                client.resource(current).updateStatus();
                return false;
            } catch (KubernetesClientException e) {
                return e.getMessage().contains("chaos test holds");
            }
        });
        client.resource(created).delete();
    }

    private static void releaseSuspensionRecords() {
        client.genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding")
                .withName(HOLD_POLICY).delete();
        client.genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")
                .withName(HOLD_POLICY).delete();
    }

    private static ExperimentBudget enforcingBudget(String namespace) {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("enforcer");
        budget.getMetadata().setNamespace(namespace);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam("chaos");
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "chaos")).build());
        spec.setLimit(new IntOrString("0.01"));
        spec.setPeriod(dev.finops.operator.api.BudgetPeriod.Total);
        spec.getEnforcement().setAction(EnforcementAction.Suspend);
        spec.getEnforcement().setGracePeriod("0s");
        budget.setSpec(spec);
        return budget;
    }

    private static ExperimentBudget enforcer(String namespace) {
        return client.resources(ExperimentBudget.class).inNamespace(namespace).withName("enforcer").get();
    }

    private static void deployment(String namespace, String name, int replicas) {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of("team", "chaos")).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("team", "chaos", "app", name)).endMetadata()
                .withNewSpec().withNodeSelector(Map.of("type", "kwok"))
                .addNewContainer().withName("main").withImage("registry.example/gpu:1")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer()
                .endSpec().endTemplate().endSpec().build();
        client.resource(deployment).create();
    }
}
