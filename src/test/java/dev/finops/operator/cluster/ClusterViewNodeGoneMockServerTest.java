package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.PodCharges;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pod whose node was deleted keeps the node's last known price while its cost is still being accrued, however
 * long that is; the node is forgotten once every pod on it has settled.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterViewNodeGoneMockServerTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

    KubernetesClient client;
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private ClusterView view;
    private final ClusterListener listener = new ClusterListener() { };

    @AfterEach
    void stop() {
        view.unsubscribe(listener);
    }

    @Test
    void aRunningPodKeepsTheDeletedNodesPriceBeyondTheTombstoneHorizonUntilItSettles() {
        view = new ClusterView(client, clock(), new ApiReachability(client, clock(), config()));
        view.subscribe(listener);
        await().atMost(Duration.ofSeconds(10)).until(view::synced);
        client.resource(GpuFixtures.p4dNode("spot-1", "spot", Map.of())).create();
        Pod pod = client.resource(trainer("Running", null)).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.podsOn("spot-1").size() == 1);

        client.nodes().withName("spot-1").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.nodes().isEmpty());
        now.set(T0.plus(ClusterView.TOMBSTONE_TTL).plus(Duration.ofHours(1)));
        pruneByAnotherNodesDeletion("other-1");

        assertThat(view.node("spot-1")).as("the pod on it still runs").isNotNull();
        PodCharges.Result charges = charges();
        assertThat(charges.unpricedPods()).isZero();
        assertThat(charges.charges()).hasSize(1);
        assertThat(charges.charges().get(0).cost().perHour()).as("p4d.24xlarge spot, all 8 GPUs")
                .isEqualTo(PriceCatalogSource.loadBuiltIn().find("p4d.24xlarge").orElseThrow().spotMicros());

        Instant finished = now.get();
        pod.setStatus(trainer("Succeeded", finished).getStatus());
        client.resource(pod).updateStatus();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.podsOn("spot-1").get(0).end() != null);
        now.set(finished.plus(ClusterView.TOMBSTONE_TTL).plusSeconds(1));
        pruneByAnotherNodesDeletion("other-2");

        assertThat(view.node("spot-1")).as("its last pod settled an hour ago").isNull();
        assertThat(charges().unpricedInstanceTypes()).containsExactly("node spot-1 (gone)");
    }

    private PodCharges.Result charges() {
        NodePriceBook book = NodePriceBook.build(view.nodesForCost().values(), List.of(), PriceCatalogSource.loadBuiltIn());
        return PodCharges.of(view.allPods(), view.nodesForCost(), book);
    }

    private void pruneByAnotherNodesDeletion(String name) {
        client.resource(GpuFixtures.p4dNode(name, "spot", Map.of())).create();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.node(name) != null);
        client.nodes().withName(name).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> view.nodes().isEmpty());
    }

    /** The two settings the API reachability reads; the view reads none. */
    private static OperatorConfig config() {
        return (OperatorConfig) Proxy.newProxyInstance(OperatorConfig.class.getClassLoader(),
                new Class<?>[] {OperatorConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "accrualOutageHold" -> Duration.ofMinutes(5);
                    case "accrualSettleDelay" -> Duration.ofSeconds(15);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    private static Pod trainer(String phase, Instant finished) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("trainer").withNamespace("team-a")
                .withUid("uid-trainer").endMetadata()
                .withNewSpec().withNodeName("spot-1").addNewContainer().withName("main").withNewResources()
                .addToRequests("nvidia.com/gpu", new Quantity("8")).addToLimits("nvidia.com/gpu", new Quantity("8"))
                .endResources().endContainer().endSpec();
        PodBuilder withStatus = finished == null
                ? pod.withNewStatus().withPhase(phase).withStartTime(T0.minusSeconds(600).toString()).endStatus()
                : pod.withNewStatus().withPhase(phase).withStartTime(T0.minusSeconds(600).toString())
                        .addNewContainerStatus().withName("main").withNewState().withNewTerminated()
                        .withFinishedAt(finished.toString()).withExitCode(0).endTerminated().endState()
                        .endContainerStatus().endStatus();
        return withStatus.build();
    }
}
