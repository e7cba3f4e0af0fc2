package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.e2e.LocalCluster;
import dev.finops.operator.e2e.OperatorProcess;
import dev.finops.operator.pool.provider.ProviderCrds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator on the local control plane: a storm of spot node removals switches a Karpenter pool to
 * on-demand; the operator is SIGKILLed in the middle of the fallback and the new process, which never saw the
 * removals, keeps the fallback and returns to spot exactly once, after the cooldown, without flapping.
 */
class SpotFallbackE2EIT {

    private static final String POOL = "e2e-storm";
    private static final String SPOT = "e2e-storm-spot";
    private static final String ON_DEMAND = "e2e-storm-on-demand";
    private static final Duration COOLDOWN = Duration.ofSeconds(40);
    private static final Map<String, String> SETTINGS = Map.of("FINOPS_PASS_INTERVAL", "2s", "QUARKUS_PROFILE", "e2e");

    private static LocalCluster cluster;
    private static KubernetesClient client;
    private static OperatorProcess operator;

    @BeforeAll
    static void setUp() {
        cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
        ProviderCrds.install(client, ProviderCrds.NODEPOOLS);
        nodePool(SPOT, "spot");
        nodePool(ON_DEMAND, "on-demand");
        for (int i = 1; i <= 4; i++) {
            client.nodes().resource(GpuFixtures.p4dNode(SPOT + "-" + i, "spot",
                    Map.of("karpenter.sh/nodepool", SPOT))).createOr(existing -> existing.update());
        }
        operator = new OperatorProcess(cluster, "spot-fallback", SETTINGS).start();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        operator.close();
        client.resources(GpuPool.class).withName(POOL).delete();
    }

    @Test
    void aStormFallsBackSurvivesARestartAndReturnsOnceAfterTheCooldown() throws InterruptedException {
        client.resource(pool()).create();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(condition("ProviderSynced").getStatus()).isEqualTo("True");
            assertThat(capacityTypes(SPOT)).containsExactly("spot");
        });

        for (int i = 1; i <= 3; i++) {
            client.nodes().withName(SPOT + "-" + i).delete();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(condition("SpotFallbackActive").getStatus()).isEqualTo("True");
            assertThat(capacityTypes(SPOT)).containsExactly("on-demand");
            assertThat(stored().getStatus().getInterruptions().getLastHour()).isEqualTo(3);
        });
        Instant until = Instant.parse(stored().getStatus().getInterruptions().getFallbackUntil());

        operator.kill();
        operator = new OperatorProcess(cluster, "spot-fallback-restarted", SETTINGS).start();

        List<String> observed = new ArrayList<>();
        await().atMost(COOLDOWN.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            observed.add(condition("SpotFallbackActive").getStatus() + " " + String.join(",", capacityTypes(SPOT)));
            return "spot".equals(String.join(",", capacityTypes(SPOT)));
        });
        assertThat(Instant.now()).as("not before the cooldown").isAfterOrEqualTo(until);
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    observed.add(condition("SpotFallbackActive").getStatus() + " "
                            + String.join(",", capacityTypes(SPOT)));
                    return "False".equals(condition("SpotFallbackActive").getStatus())
                            && "spot".equals(String.join(",", capacityTypes(SPOT)));
                });
        // one switch back, whatever the restart: on-demand while True, then False and spot, never True again
        assertThat(observed.get(0)).isEqualTo("True on-demand");
        List<String> afterReturn = observed.subList(observed.indexOf("False spot"), observed.size());
        assertThat(afterReturn).containsOnly("False spot");
        assertThat(stored().getStatus().getInterruptions().getLastHour())
                .as("the restarted operator remembers the storm it never saw").isEqualTo(3);
    }

    private static void nodePool(String name, String capacityType) {
        client.resource(GpuFixtures.karpenterNodePool(name, capacityType)).fieldManager("platform-team")
                .forceConflicts().serverSideApply();
    }

    private static GpuPool stored() {
        return client.resources(GpuPool.class).withName(POOL).get();
    }

    private static Condition condition(String type) {
        return StatusConditions.condition(stored(), type).orElse(new Condition());
    }

    @SuppressWarnings("unchecked")
    private static List<String> capacityTypes(String nodePool) {
        GenericKubernetesResource resource = client.genericKubernetesResources("karpenter.sh/v1", "NodePool")
                .withName(nodePool).get();
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) resource.getAdditionalProperties()
                .get("spec")).get("template");
        List<Map<String, Object>> requirements = (List<Map<String, Object>>) ((Map<String, Object>) template
                .get("spec")).get("requirements");
        return requirements.stream().filter(r -> "karpenter.sh/capacity-type".equals(r.get("key"))).findFirst()
                .map(r -> (List<String>) r.get("values")).orElse(List.of());
    }

    private static GpuPool pool() {
        return GpuFixtures.spotFirstKarpenterPool(POOL, SPOT, ON_DEMAND, 8, COOLDOWN);
    }
}
