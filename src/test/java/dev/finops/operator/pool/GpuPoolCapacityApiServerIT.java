package dev.finops.operator.pool;

import static dev.finops.operator.model.CapacityType.ON_DEMAND;
import static dev.finops.operator.model.CapacityType.RESERVED;
import static dev.finops.operator.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.apiserver.RealApiServerProfile;
import dev.finops.operator.apiserver.RealApiServerResource;
import dev.finops.operator.pool.provider.ProviderCrds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real kube-apiserver with the real Karpenter NodePool CRD: a missing NodePool is reported;
 * a storm of spot node interruptions moves a pool to on-demand, and it returns to spot once the cooldown has
 * passed, without flapping.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class GpuPoolCapacityApiServerIT {

    private static final String SPOT_POOL = "storm-spot";
    private static final String ON_DEMAND_POOL = "storm-on-demand";
    private static final Duration COOLDOWN = Duration.ofSeconds(20);

    @Test
    void anInterruptionStormFallsBackToOnDemandAndReturnsAfterTheCooldown() throws Exception {
        installNodePools();
        for (int i = 1; i <= 4; i++) {
            client().nodes().resource(GpuFixtures.p4dNode("storm-" + i, "spot",
                    Map.of("karpenter.sh/nodepool", SPOT_POOL))).create();
        }
        client().resource(pool()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition("ProviderSynced").getStatus()).isEqualTo("True");
            assertThat(condition("SpotFallbackActive").getStatus()).isEqualTo("False");
            assertThat(capacityTypes(SPOT_POOL)).isEqualTo("spot");
            assertThat(capacityTypes(ON_DEMAND_POOL)).isEqualTo("on-demand");
        });

        // Karpenter marks one node for disruption, then removes it and two more: three interruptions (> 2)
        client().nodes().withName("storm-1").edit(node -> new NodeBuilder(node).editSpec()
                .addToTaints(new TaintBuilder().withKey("karpenter.sh/disrupted").withEffect("NoSchedule").build())
                .endSpec().build());
        client().nodes().withName("storm-1").delete();
        client().nodes().withName("storm-2").delete();
        client().nodes().withName("storm-3").delete();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Condition fallback = condition("SpotFallbackActive");
            assertThat(fallback.getStatus()).isEqualTo("True");
            assertThat(fallback.getReason()).isEqualTo("TooManyInterruptions");
            assertThat(capacityTypes(SPOT_POOL)).isEqualTo("on-demand");
            assertThat(api().kubectl("get", "nodepool", SPOT_POOL, "-o", "jsonpath={.spec.limits.nvidia\\.com/gpu}"))
                    .isEqualTo("0");
            GpuPool stored = stored();
            assertThat(stored.getStatus().getInterruptions().getLastHour()).isEqualTo(3);
            assertThat(stored.getStatus().getInterruptions().getFallbackUntil()).isNotNull();
            assertThat(stored.getStatus().getDesired().getCapacityTypes()).containsExactly(ON_DEMAND);
            assertThat(InterruptionHistory.decode(stored.getMetadata().getAnnotations()
                    .get(InterruptionHistory.ANNOTATION)).interruptions())
                    .extracting(InterruptionHistory.Interruption::node)
                    .containsExactlyInAnyOrder("storm-1", "storm-2", "storm-3");
            assertThat(events("TooManyInterruptions")).extracting(Event::getType).containsOnly("Warning");
        });

        // watch every change of the fallback from here on: exactly one return to spot, never back again
        List<String> transitions = new ArrayList<>();
        AtomicBoolean last = new AtomicBoolean(true);
        await().atMost(COOLDOWN.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> backOnSpot(last, transitions));
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> backOnSpot(last, transitions));
        assertThat(transitions).containsExactly("spot");
        assertThat(stored().getStatus().getInterruptions().getLastHour()).as("the storm is still within the hour")
                .isEqualTo(3);
        assertThat(stored().getStatus().getInterruptions().getFallbackUntil()).isNull();
        assertThat(events("SpotHealthy")).extracting(Event::getType).containsOnly("Normal");
    }

    @Test
    void aMissingNodePoolIsAFalseConditionAndAWarningEvent() {
        ProviderCrds.install(client(), ProviderCrds.NODEPOOLS);
        GpuPool pool = pool();
        pool.getMetadata().setName("lost");
        pool.getSpec().getProvider().getKarpenter().setNodePools(List.of("no-such-nodepool"));
        client().resource(pool).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("lost").get();
            assertThat(stored.getStatus()).as("status written").isNotNull();
            Condition synced = stored.getStatus().getConditions().stream()
                    .filter(c -> "ProviderSynced".equals(c.getType())).findFirst().orElseThrow();
            assertThat(synced.getStatus()).isEqualTo("False");
            assertThat(synced.getReason()).isEqualTo("NodePoolNotFound");
            assertThat(synced.getMessage()).isEqualTo("NodePool no-such-nodepool (karpenter.sh/v1) does not exist; "
                    + "create it or fix spec.provider.karpenter.nodePools.");
            assertThat(stored.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("NodePoolNotFound");
            });
            assertThat(client().v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("lost");
                        assertThat(e.getReason()).isEqualTo("NodePoolNotFound");
                        assertThat(e.getType()).isEqualTo("Warning");
                    });
        });
    }

    /** Records every change of SpotFallbackActive; true while the pool is off the fallback and its NodePool on spot. */
    private static boolean backOnSpot(AtomicBoolean last, List<String> transitions) {
        boolean active = "True".equals(condition("SpotFallbackActive").getStatus());
        if (active != last.getAndSet(active)) {
            transitions.add(active ? "on-demand" : "spot");
        }
        return !active && "spot".equals(capacityTypes(SPOT_POOL));
    }

    private static void installNodePools() throws Exception {
        ProviderCrds.install(client(), ProviderCrds.NODEPOOLS);
        for (String[] nodePool : List.of(new String[] {SPOT_POOL, "spot"},
                new String[] {ON_DEMAND_POOL, "on-demand"})) {
            Path file = Files.createTempFile("nodepool-", ".yaml");
            Files.writeString(file, GpuFixtures.karpenterNodePool(nodePool[0], nodePool[1]));
            api().kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
            Files.delete(file);
        }
    }

    private static GpuPool stored() {
        return client().resources(GpuPool.class).withName("storm").get();
    }

    private static Condition condition(String type) {
        return StatusConditions.condition(stored(), type).orElse(new Condition());
    }

    private static String capacityTypes(String nodePool) {
        return api().kubectl("get", "nodepool", nodePool, "-o",
                "jsonpath={.spec.template.spec.requirements[?(@.key==\"karpenter.sh/capacity-type\")].values[*]}");
    }

    private static List<Event> events(String reason) {
        return client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "storm".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static RealApiServer api() {
        return RealApiServerResource.api();
    }

    private static KubernetesClient client() {
        return api().client();
    }

    private static GpuPool pool() {
        return GpuFixtures.spotFirstKarpenterPool("storm", SPOT_POOL, ON_DEMAND_POOL, 10, COOLDOWN);
    }
}
