package dev.finops.operator.idle;

import dev.finops.operator.metrics.ActionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.IdleAction;
import dev.finops.operator.api.IdlePolicy;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.pricing.PriceCatalog;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The records of idle scale-downs against a real kube-apiserver (its /scale subresource, resourceVersion checks,
 * label selectors), without the operator around them: a stop never overwrites a workload that changed since it
 * was read; after a restart the scale-downs are found by their label alone; restore requests (a wake, not undone
 * by the same pass), wakes and a person stopping a woken workload again each end the way a person expects.
 */
class IdleScaleDownsApiServerIT {

    private static final ActionMetrics ACTION_METRICS = new ActionMetrics(new SimpleMeterRegistry());

    private static final String NS = "ml";
    private static final String WINDOW = "1m";
    private static final GpuNode NODE = new GpuNode("gpu-1", Map.of(), "p4d.24xlarge", CapacityType.ON_DEMAND,
            NodeGpus.of(Map.of("nvidia.com/gpu", 8L), Map.of()));

    private static RealApiServer api;
    private static KubernetesClient client;
    private static WorkloadController workloads;
    private static ConditionEvents events;

    @BeforeAll
    static void start() {
        api = RealApiServer.start();
        client = api.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        workloads = new WorkloadController(client);
        events = new ConditionEvents(client, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aStopNeverOverwritesAWorkloadThatChangedSinceItWasRead() {
        WorkloadRef ref = deployment("raced", 2);
        WorkloadState read = workloads.inspect(ref).orElseThrow();
        client.apps().deployments().inNamespace(NS).withName("raced").scale(3); // a person, in between

        assertThatThrownBy(() -> workloads.stop(read, "gpupool/p", Instant.now()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(stored("raced").getSpec().getReplicas()).isEqualTo(3);
        assertThat(annotations("raced")).doesNotContainKey("finops.dev/suspended-by");

        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/p", Instant.now());
        assertThat(stored("raced").getSpec().getReplicas()).isZero();
        assertThat(annotations("raced")).containsEntry("finops.dev/replicas-before", "3");
        assertThat(stored("raced").getMetadata().getLabels()).containsEntry("finops.dev/suspended", "true");
    }

    @Test
    void afterARestartScaleDownsAreFoundByTheirLabelAndARestoreRequestWakesThemForAWindow() {
        WorkloadRef ref = deployment("notebook", 2);
        Instant stoppedAt = Instant.parse("2026-11-29T10:00:00Z");
        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/found", stoppedAt);
        workloads.stop(workloads.inspect(deployment("other-pools", 1)).orElseThrow(), "gpupool/other", stoppedAt);

        // a fresh operator: nothing in memory, nothing in the pool's status
        IdleScaleDowns restarted = new IdleScaleDowns(workloads, events, ACTION_METRICS, Optional.empty());
        List<IdleWorkload> followed = restarted.follow(pool("found"), List.of(), WINDOW, Instant.now());
        assertThat(followed).singleElement().satisfies(entry -> {
            assertThat(entry.getName()).isEqualTo("notebook");
            assertThat(entry.getApiVersion()).isEqualTo("apps/v1");
            assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.ScaledDown);
            assertThat(entry.getScaledDownAt()).isEqualTo(stoppedAt.toString());
        });

        requestRestore("notebook");
        Instant restored = Instant.now();
        // a restore is a wake: the replicas come back and the record says when, for a whole window
        assertThat(restarted.follow(pool("found"), followed, WINDOW, restored)).singleElement()
                .satisfies(entry -> assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        assertThat(stored("notebook").getSpec().getReplicas()).isEqualTo(2);
        assertThat(annotations("notebook")).doesNotContainKey("finops.dev/restore")
                .containsEntry("finops.dev/suspended-by", "gpupool/found")
                .containsKey("finops.dev/resumed-by-user-at");
        assertThat(stored("other-pools").getSpec().getReplicas()).as("another pool's").isZero();

        assertThat(restarted.follow(pool("found"), List.of(), WINDOW, restored.plusSeconds(61))).isEmpty();
        assertThat(annotations("notebook")).doesNotContainKeys("finops.dev/suspended-by", "finops.dev/restore");
        assertThat(stored("notebook").getMetadata().getLabels()).doesNotContainKey("finops.dev/suspended");
        assertThat(stored("notebook").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void aWokenWorkloadIsLeftAloneForAWindowAndThenJudgedLikeAnyOther() {
        WorkloadRef ref = deployment("woken", 1);
        IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, ACTION_METRICS, Optional.empty());
        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/wake", Instant.now());
        client.apps().deployments().inNamespace(NS).withName("woken").scale(1);
        Instant woken = Instant.now();

        assertThat(scaleDowns.follow(pool("wake"), List.of(), WINDOW, woken)).singleElement()
                .satisfies(entry -> assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        assertThat(annotations("woken")).containsKey("finops.dev/resumed-by-user-at");
        assertThat(scaleDowns.follow(pool("wake"), List.of(), WINDOW, woken.plusSeconds(59))).hasSize(1);

        assertThat(scaleDowns.follow(pool("wake"), List.of(), WINDOW, woken.plusSeconds(61))).isEmpty();
        assertThat(annotations("woken")).doesNotContainKey("finops.dev/suspended-by");
        assertThat(stored("woken").getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void aWokenWorkloadItsPersonStoppedAgainStaysStoppedWhenThePoolGivesEverythingBack() {
        WorkloadRef ref = deployment("stopped-again", 4);
        IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, ACTION_METRICS, Optional.empty());
        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/again", Instant.now());
        client.apps().deployments().inNamespace(NS).withName("stopped-again").scale(1);
        scaleDowns.follow(pool("again"), List.of(), WINDOW, Instant.now());
        client.apps().deployments().inNamespace(NS).withName("stopped-again").scale(0);

        assertThat(scaleDowns.restoreAll(pool("again"), List.of(), "the pool's idle action is now Report", false))
                .isEmpty();
        assertThat(stored("stopped-again").getSpec().getReplicas()).as("as its person left it").isZero();
        assertThat(annotations("stopped-again")).doesNotContainKey("finops.dev/suspended-by");
    }

    /**
     * The defect a restore request once met: restored, then scaled down again by the same pass, because the pass's
     * pods and Prometheus's last window still said idle. A whole pool pass on the real API server, the usage
     * from a fake source that keeps saying idle.
     */
    @Test
    void aRestoreRequestIsNotUndoneByTheSamePass() {
        WorkloadRef ref = deployment("restored", 3);
        FakeGpuUsage usage = new FakeGpuUsage().idle(NS, "restored-abc12", 12);
        IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, ACTION_METRICS, Optional.empty());
        PoolIdleDetection detection = new PoolIdleDetection(usage, scaleDowns,
                new IdleScaleDownActions(workloads, scaleDowns, events, ACTION_METRICS));
        GpuPool pool = idlePool("restore");
        Instant start = Instant.now();
        List<GpuPod> pods = List.of(new GpuPod("restored-uid", NS, "restored-abc12", Map.of(), NODE.name(),
                new WorkloadKey("Deployment", "restored"), "apps/v1", start.minusSeconds(600), null,
                Map.of("nvidia.com/gpu", 1L)));
        NodePriceBook book = NodePriceBook.build(List.of(NODE), List.of(), PriceCatalog.parse(
                "currency,USD\naws,p4d.24xlarge,A100,8,32.7726,14.74767,20.646738\n", "test"));

        detection.apply(pool, pool.getStatus(), List.of(NODE), pods, book, 1L, start);
        assertThat(stored("restored").getSpec().getReplicas()).isZero();
        requestRestore("restored");
        detection.apply(pool, pool.getStatus(), List.of(NODE), pods, book, 1L, start.plusSeconds(5));

        assertThat(stored("restored").getSpec().getReplicas()).as("restored and not scaled down again").isEqualTo(3);
        assertThat(pool.getStatus().getIdleWorkloads()).singleElement()
                .satisfies(entry -> assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        detection.apply(pool, pool.getStatus(), List.of(NODE), pods, book, 1L, start.plusSeconds(30));
        assertThat(stored("restored").getSpec().getReplicas()).as("within the window after the wake").isEqualTo(3);
        assertThat(workloads.inspect(ref).orElseThrow().record()).hasValueSatisfying(record ->
                assertThat(record.resumedByUserAt()).isEqualTo(start.plusSeconds(5)));
    }

    private static void requestRestore(String name) {
        client.apps().deployments().inNamespace(NS).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"finops.dev/restore\":\"true\"}}}");
    }

    private static GpuPool idlePool(String name) {
        IdlePolicy idle = new IdlePolicy();
        idle.setEnabled(true);
        idle.setWindow(WINDOW);
        idle.setAction(IdleAction.ScaleDown);
        GpuPool pool = pool(name);
        pool.setSpec(new GpuPoolSpec());
        pool.getSpec().setIdle(idle);
        pool.setStatus(new GpuPoolStatus());
        return pool;
    }

    private static WorkloadRef deployment(String name, int replicas) {
        client.resource(GpuFixtures.deployment(NS, name, replicas)).create();
        return new WorkloadRef("apps/v1", "Deployment", NS, name);
    }

    private static GpuPool pool(String name) {
        GpuPool pool = new GpuPool();
        pool.getMetadata().setName(name);
        return pool;
    }

    private static Deployment stored(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private static Map<String, String> annotations(String name) {
        Map<String, String> annotations = stored(name).getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
