package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.cluster.PriceCatalogSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The price ConfigMap is watched: edits apply without a restart, a broken one keeps the last good prices. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PriceCatalogSourceMockServerTest {

    @Inject
    KubernetesClient client;

    @Inject
    PriceCatalogSource source;

    @Test
    void configMapEditsApplyWithoutARestart() {
        long builtIn = PriceCatalogSource.loadBuiltIn().find("p4d.24xlarge").orElseThrow().onDemandMicros();
        ConfigMap prices = client.resource(configMap("aws,p4d.24xlarge,,,21.96,,\n")).create();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(onDemand("p4d.24xlarge")).isEqualTo(21_960_000L));
        assertThat(source.catalog().find("p4d.24xlarge").orElseThrow().spotMicros())
                .as("empty fields keep the catalog's value").isPositive();

        client.resource(configMap("aws,p4d.24xlarge,,,not-a-price,,\n")).update();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(source.problem()).get()
                .asString().startsWith("ConfigMap finops-system/gpu-prices key prices.csv line 1"));
        assertThat(onDemand("p4d.24xlarge")).as("the last good prices stay").isEqualTo(21_960_000L);

        client.resource(prices).delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(onDemand("p4d.24xlarge")).isEqualTo(builtIn);
            assertThat(source.problem()).isEmpty();
        });
    }

    private long onDemand(String instanceType) {
        return source.catalog().find(instanceType).orElseThrow().onDemandMicros();
    }

    private static ConfigMap configMap(String rows) {
        return new ConfigMapBuilder().withNewMetadata().withName("gpu-prices").withNamespace("finops-system")
                .endMetadata().addToData(PriceCatalogSource.CONFIG_MAP_KEY, rows).build();
    }
}
