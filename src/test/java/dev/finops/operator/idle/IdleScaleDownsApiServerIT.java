package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.model.WorkloadRef;
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
 * was read; after a restart the scale-downs are found by their label alone; restore requests, wakes and a person
 * stopping a woken workload again each end the way a person expects.
 */
class IdleScaleDownsApiServerIT {

    private static final String NS = "ml";
    private static final String WINDOW = "1m";

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
    void afterARestartScaleDownsAreFoundByTheirLabelAndARestoreRequestIsHonoured() {
        WorkloadRef ref = deployment("notebook", 2);
        Instant stoppedAt = Instant.parse("2026-11-29T10:00:00Z");
        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/found", stoppedAt);
        workloads.stop(workloads.inspect(deployment("other-pools", 1)).orElseThrow(), "gpupool/other", stoppedAt);

        // a fresh operator: nothing in memory, nothing in the pool's status
        IdleScaleDowns restarted = new IdleScaleDowns(workloads, events, Optional.empty());
        List<IdleWorkload> followed = restarted.follow(pool("found"), List.of(), WINDOW, Instant.now());
        assertThat(followed).singleElement().satisfies(entry -> {
            assertThat(entry.getName()).isEqualTo("notebook");
            assertThat(entry.getApiVersion()).isEqualTo("apps/v1");
            assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.ScaledDown);
            assertThat(entry.getScaledDownAt()).isEqualTo(stoppedAt.toString());
        });

        client.apps().deployments().inNamespace(NS).withName("notebook").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"finops.dev/restore\":\"true\"}}}");
        assertThat(restarted.follow(pool("found"), followed, WINDOW, Instant.now())).isEmpty();
        assertThat(stored("notebook").getSpec().getReplicas()).isEqualTo(2);
        assertThat(annotations("notebook")).doesNotContainKeys("finops.dev/suspended-by", "finops.dev/restore");
        assertThat(stored("notebook").getMetadata().getLabels()).doesNotContainKey("finops.dev/suspended");
        assertThat(stored("other-pools").getSpec().getReplicas()).as("another pool's").isZero();
    }

    @Test
    void aWokenWorkloadIsLeftAloneForAWindowAndThenJudgedLikeAnyOther() {
        WorkloadRef ref = deployment("woken", 1);
        IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, Optional.empty());
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
        IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, Optional.empty());
        workloads.stop(workloads.inspect(ref).orElseThrow(), "gpupool/again", Instant.now());
        client.apps().deployments().inNamespace(NS).withName("stopped-again").scale(1);
        scaleDowns.follow(pool("again"), List.of(), WINDOW, Instant.now());
        client.apps().deployments().inNamespace(NS).withName("stopped-again").scale(0);

        assertThat(scaleDowns.restoreAll(pool("again"), List.of(), "the pool's idle action is now Report")).isEmpty();
        assertThat(stored("stopped-again").getSpec().getReplicas()).as("as its person left it").isZero();
        assertThat(annotations("stopped-again")).doesNotContainKey("finops.dev/suspended-by");
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
