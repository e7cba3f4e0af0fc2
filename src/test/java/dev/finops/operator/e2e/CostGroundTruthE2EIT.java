package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's spend against a ground truth computed independently, on the local control plane: with one
 * operator, with an operator SIGKILLed and restarted at random moments, and with two operators at once.
 */
class CostGroundTruthE2EIT {

    /** Fast passes, a short settle delay and frequent ledger writes, so the scenario runs in a minute. */
    private static final Map<String, String> FAST = Map.of(
            "FINOPS_PASS_INTERVAL", "2s",
            "FINOPS_ACCRUAL_SETTLE_DELAY", "5s",
            "FINOPS_LEDGER_MAX_LAG", "4s");
    /** The same, with the e2e profile: no leader election, so several instances reconcile at once. */
    private static final Map<String, String> FAST_WITHOUT_LEADER_ELECTION = Map.of(
            "FINOPS_PASS_INTERVAL", "2s",
            "FINOPS_ACCRUAL_SETTLE_DELAY", "5s",
            "FINOPS_LEDGER_MAX_LAG", "4s",
            "QUARKUS_PROFILE", "e2e");

    private static LocalCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void installCrds() {
        cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
    }

    @Test
    void spentEqualsTheGroundTruthToTheCent() throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "gt-single");
        try (OperatorProcess operator = new OperatorProcess(cluster, "single", FAST).start()) {
            String budget = scenario.setUp();
            scenario.play();
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(90));
            scenario.tearDown();
        }
    }

    @Test
    void sigkilledTenTimesTheOperatorStillCountsEveryCentOnce() throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "gt-crash");
        try (OperatorProcess operator = new OperatorProcess(cluster, "crash", FAST_WITHOUT_LEADER_ELECTION).start()) {
            String budget = scenario.setUp();
            Thread player = new Thread(() -> {
                try {
                    scenario.play();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            player.start();
            Random random = new Random(42);
            int kills = 0;
            while (player.isAlive() || kills < 10) {
                Thread.sleep(2_000 + random.nextInt(3_000));
                operator.kill();
                kills++;
                operator.start();
            }
            player.join();
            assertThat(kills).isGreaterThanOrEqualTo(10);
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(90));
            scenario.tearDown();
        }
    }

    @Test
    void twoOperatorsAtOnceStillCountEveryCentOnce() throws Exception {
        GroundTruthScenario scenario = new GroundTruthScenario(cluster, "gt-twice");
        try (OperatorProcess first = new OperatorProcess(cluster, "first", FAST_WITHOUT_LEADER_ELECTION).start();
                OperatorProcess second = new OperatorProcess(cluster, "second", FAST_WITHOUT_LEADER_ELECTION).start()) {
            String budget = scenario.setUp();
            scenario.play();
            scenario.awaitLedgerEqualsGroundTruth(budget, Duration.ofSeconds(90));
            assertThat(first.alive()).isTrue();
            assertThat(second.alive()).isTrue();
            scenario.tearDown();
        }
    }
}
