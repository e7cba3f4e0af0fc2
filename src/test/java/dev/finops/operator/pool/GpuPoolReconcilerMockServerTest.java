package dev.finops.operator.pool;

import static dev.finops.operator.MockServerFixtures.drainRequests;
import static dev.finops.operator.MockServerFixtures.get;
import static dev.finops.operator.MockServerFixtures.writes;
import static dev.finops.operator.StatusConditions.condition;
import static dev.finops.operator.model.CapacityType.ON_DEMAND;
import static dev.finops.operator.model.CapacityType.RESERVED;
import static dev.finops.operator.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.Samples;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.metrics.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class GpuPoolReconcilerMockServerTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    ReconcileMetrics metrics;

    @Test
    void everySampleIsValidAndReadyOnlyOnceItsProviderIsSynced() {
        List<GpuPool> samples = Samples.load(GpuPool.class);
        assertThat(samples).hasSizeGreaterThanOrEqualTo(2);
        samples.forEach(sample -> client.resource(sample).create());
        for (GpuPool sample : samples) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                GpuPool stored = get(client, sample);
                assertThat(condition(stored, "Valid")).get().extracting(Condition::getStatus).isEqualTo("True");
                // the mock server serves neither Karpenter nor Cluster API: the provider is named, Ready follows it
                Condition synced = condition(stored, "ProviderSynced").orElseThrow();
                assertThat(synced.getStatus()).isEqualTo("False");
                assertThat(synced.getReason()).endsWith("ApiNotServed");
                assertThat(condition(stored, "Ready")).get()
                        .extracting(Condition::getStatus, Condition::getReason)
                        .containsExactly("False", synced.getReason());
                assertThat(stored.getStatus().getDesired()).isNotNull();
                assertThat(stored.getStatus().getObservedGeneration()).isEqualTo(stored.getMetadata().getGeneration());
            });
        }
    }

    @Test
    void aPoolWithoutProviderIsObservedAndReady() {
        GpuPool pool = Samples.named(GpuPool.class, "training-gpus");
        pool.getMetadata().setName("observed-only");
        pool.getSpec().setProvider(null);
        client.resource(pool).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            GpuPool stored = get(client, pool);
            assertThat(condition(stored, "ProviderSynced")).get()
                    .extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "Synced");
            assertThat(condition(stored, "Ready")).get()
                    .extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "Reconciled");
            assertThat(condition(stored, "SpotFallbackActive")).get()
                    .extracting(Condition::getStatus).isEqualTo("False");
            // no GPU nodes and no demand: minNodes (0) of training-gpus
            assertThat(stored.getStatus().getDesired().getSpot()).isZero();
            assertThat(stored.getStatus().getDesired().getCapacityTypes())
                    .containsExactly(RESERVED, SPOT, ON_DEMAND);
            assertThat(stored.getStatus().getInterruptions().getLastHour()).isZero();
        });
    }

    @Test
    void anInvalidSpecIsReportedNamingTheField() {
        GpuPool pool = Samples.named(GpuPool.class, "training-gpus");
        pool.getMetadata().setName("too-eager");
        pool.getSpec().getIdle().setWindow("20s");
        pool.getSpec().getIdle().setExemptSelector(new LabelSelectorBuilder()
                .addToMatchLabels("-bad-key", "true").build());
        client.resource(pool).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Condition valid = condition(get(client, pool), "Valid").orElseThrow(() -> new AssertionError("no Valid condition yet"));
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getReason()).isEqualTo("InvalidSpec");
            assertThat(valid.getMessage()).isEqualTo("spec.idle.exemptSelector.matchLabels: \"-bad-key\" is not a "
                    + "valid label key: at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with "
                    + "an alphanumeric; spec.idle.window: must be at least 1m, so that idleness rests on enough "
                    + "samples");
            assertThat(condition(get(client, pool), "Ready")).get()
                    .extracting(Condition::getStatus, Condition::getReason)
                    .containsExactly("False", "InvalidSpec");
        });
    }

    @Test
    void anUnchangedPoolIsNotWrittenAgain() throws InterruptedException {
        GpuPool pool = Samples.named(GpuPool.class, "inference-gpus");
        pool.getMetadata().setName("quiet-pool");
        client.resource(pool).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> condition(get(client, pool), "Ready").isPresent());
        String transition = condition(get(client, pool), "Ready").orElseThrow().getLastTransitionTime();
        drainRequests(server);
        double passesBefore = metrics.passes("GpuPool").count();
        int pools = client.resources(GpuPool.class).list().getItems().size();

        // the pass interval is 300ms in tests: wait for three more passes over every (unchanged) pool
        await().atMost(Duration.ofSeconds(20))
                .until(() -> metrics.passes("GpuPool").count() >= passesBefore + 3 * pools);

        assertThat(writes(drainRequests(server))).isEmpty();
        assertThat(condition(get(client, pool), "Ready").orElseThrow().getLastTransitionTime()).isEqualTo(transition);
    }
}
