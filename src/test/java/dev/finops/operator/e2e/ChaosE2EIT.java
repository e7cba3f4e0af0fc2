package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected into the local control plane while the ground-truth scenario plays, each run ending with the
 * ledger equal to the independently computed ground truth to the micro-unit and no action lost: the API server
 * SIGKILLed and down for 30 s while pods finish, etcd stopped and restarted. (Two operators without leader election and ten
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
        playThrough("chaos-api", Duration.ofSeconds(14), () -> cluster.kill("kube-apiserver"), API_OUTAGE,
                "kube-apiserver (SIGKILL, restarted)");
    }

    @Test
    void etcdStoppedAndRestartedLosesNoMoney() throws Exception {
        // restarting also brings back whatever lost its lease meanwhile (the controller-manager)
        playThrough("chaos-etcd", Duration.ofSeconds(12), () -> cluster.stop("etcd"), ETCD_OUTAGE,
                "etcd (SIGTERM, restarted)");
    }

    /** A control-plane fault, injected while the scenario plays. */
    @FunctionalInterface
    private interface Fault {
        void inject() throws Exception;
    }

    /**
     * Plays the ground-truth scenario with a running operator, injects {@code fault} {@code after} into it, brings
     * the control plane back {@code outage} later, and expects the operator alive and the ledger exact.
     */
    private static void playThrough(String name, Duration after, Fault fault, Duration outage, String what)
            throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, name);
        try (OperatorProcess operator = new OperatorProcess(cluster, name, FAST).start()) {
            awaitCounting(name);
            String budget = scenario.setUp();
            Thread player = play(scenario);
            Thread.sleep(after.toMillis());
            fault.inject();
            Instant down = Instant.now();
            Thread.sleep(outage.toMillis());
            cluster.startMissingComponents();
            System.out.printf("%s down for %d ms%n", what, Duration.between(down, Instant.now()).toMillis());
            player.join();
            assertThat(operator.alive()).as("the operator rides out the outage").isTrue();
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(120));
            scenario.tearDown();
        }
    }

    /**
     * Waits until the operator just started writes ledgers (a budget of its own in namespace {@code chaos-warm-up}
     * has one), so a fault hits it mid-run rather than during its start.
     */
    private static void awaitCounting(String name) {
        cluster.namespace("chaos-warm-up");
        ExperimentBudget warmUp = warmUpBudget("chaos-warm-up");
        warmUp.getMetadata().setName(name);
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

    private static ExperimentBudget warmUpBudget(String namespace) {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setNamespace(namespace);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam("chaos");
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "chaos")).build());
        spec.setLimit(new IntOrString("0.01"));
        spec.setPeriod(dev.finops.operator.api.BudgetPeriod.Total);
        budget.setSpec(spec);
        return budget;
    }
}
