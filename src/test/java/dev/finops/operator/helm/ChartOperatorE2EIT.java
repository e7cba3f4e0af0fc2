package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.e2e.LocalCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the local control plane: {@code helm install --wait} of the chart (its pod admitted under the restricted Pod
 * Security Standard, scheduled and made ready by kwok), then the packaged operator run as the chart's ServiceAccount
 * with the Deployment's environment: it wins the Lease, reads the chart's price ConfigMap (and its edits), records
 * Events and completes every reconcile with no Forbidden error; a second replica stands by ready.
 */
class ChartOperatorE2EIT {

    private static final String NAMESPACE = "finops-e2e";
    private static final String RELEASE = "finops";
    private static final String TEAM_NAMESPACE = "helm-team-a";
    /** Values that price an instance type only the chart's price ConfigMap knows. */
    private static final String PRICES = """
            pricing:
              pricesCsv: |
                # negotiated test price
                aws,helmtest.8gpu,Test GPU,8,%s,,
            """;

    private static LocalCluster cluster;
    private static KubernetesClient client;
    private static Helm helm;
    private static GpuTestCluster gpus;
    private static ChartOperatorProcess operator;

    @BeforeAll
    static void installTheChartAndRunTheOperatorAsItsServiceAccount() {
        cluster = LocalCluster.get();
        client = cluster.client();
        helm = Helm.against(cluster.kubeconfig());
        gpus = new GpuTestCluster(client, "helm-e2e");
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(TEAM_NAMESPACE).endMetadata().build())
                .serverSideApply();
        gpus.kwokNode("helm-e2e-kwok");
        helm.install(RELEASE, NAMESPACE, "--wait", "--timeout", "3m",
                "--set", "config.passInterval=2s", "--set", "config.accrualSettleDelay=2s",
                "--set", "config.ledgerMaxLag=4s", "--set", "prometheus.url=" + cluster.prometheusUrl(),
                "-f", gpus.valuesFile("prices-1", PRICES.formatted("12.34")).toString()).orFail();

        gpus.gpuNode("helm-e2e-p4d", "p4d.24xlarge", "helm-e2e-priced");
        gpus.gpuNode("helm-e2e-custom", "helmtest.8gpu", "helm-e2e-custom");
        gpus.gpuNode("helm-e2e-unknown", "mystery.8gpu", "helm-e2e-unpriced");
        gpus.runningGpuPod(TEAM_NAMESPACE, "trainer", "team-a", "helm-e2e-p4d", 2, Duration.ofMinutes(10));
        client.resource(Fixtures.budget("team-a", TEAM_NAMESPACE)).create();
        for (String pool : List.of("helm-e2e-priced", "helm-e2e-custom", "helm-e2e-unpriced")) {
            client.resource(Fixtures.pool(pool)).create();
        }
        operator = ChartOperatorProcess.start(client, helm, RELEASE, NAMESPACE, "leader");
    }

    @AfterAll
    static void cleanUpAndStop() throws InterruptedException {
        try {
            if (gpus != null) {
                // while the operator still runs, so it removes its finalizers
                gpus.removeAll(List.of("helm-e2e-priced", "helm-e2e-custom", "helm-e2e-unpriced"), TEAM_NAMESPACE);
            }
        } finally {
            if (operator != null) {
                operator.close();
            }
        }
    }

    @Test
    void reconcilesAsTheChartServiceAccountWithoutAnyForbiddenError() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ExperimentBudget budget = client.resources(ExperimentBudget.class).inNamespace(TEAM_NAMESPACE)
                    .withName("team-a").get();
            assertThat(budget.getStatus()).isNotNull();
            assertThat(condition(budget.getStatus().getConditions(), "Ready").getStatus()).isEqualTo("True");
            assertThat(new BigDecimal(budget.getStatus().getSpent())).isGreaterThan(BigDecimal.ONE);
            assertThat(budget.getMetadata().getFinalizers()).isNotEmpty();
            GpuPool custom = client.resources(GpuPool.class).withName("helm-e2e-custom").get();
            assertThat(condition(custom.getStatus().getConditions(), "PricesKnown").getStatus())
                    .as("priced by the chart's ConfigMap").isEqualTo("True");
            assertThat(custom.getStatus().getCostPerHour()).isEqualTo("12.34");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(unknownPriceEvents()).isNotEmpty());
        assertThat(client.leases().inNamespace(NAMESPACE).withName("gpu-finops-operator-leader").get().getSpec()
                .getHolderIdentity()).isEqualTo(operator.identity());

        String log = operator.logText();
        assertThat(log).contains("Prices in force", "ConfigMap " + NAMESPACE + "/finops-gpu-finops-operator-prices")
                .contains("New leader with identity: leader");
        assertThat(log.toLowerCase()).doesNotContain("forbidden");
        assertThat(log).doesNotContain("Could not record event", "Failed to start");
    }

    @Test
    void priceConfigMapEditsThroughHelmApplyWithoutARestart() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "12.34".equals(costPerHour("helm-e2e-custom")));
        helm.upgrade(RELEASE, NAMESPACE, "--reuse-values",
                "-f", gpus.valuesFile("prices-2", PRICES.formatted("20.00")).toString()).orFail();
        await().atMost(Duration.ofSeconds(60)).until(() -> "20.00".equals(costPerHour("helm-e2e-custom")));
        assertThat(operator.logText().toLowerCase()).doesNotContain("forbidden");
    }

    @Test
    void exportsEveryMetricTheAlertsAndTheDashboardUse() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = operator.metrics();
            for (String name : ChartMonitoringApiServerIT.OPERATOR_METRICS) {
                assertThat(metrics).as(name).containsPattern("(?m)^" + name + "\\{");
            }
            assertThat(metrics).contains("namespace=\"" + TEAM_NAMESPACE + "\"", "capacity_type=\"on-demand\"");
        });
    }

    @Test
    void aSecondReplicaStandsByReadyWithoutReconciling() throws InterruptedException {
        try (ChartOperatorProcess standby = ChartOperatorProcess.start(client, helm, RELEASE, NAMESPACE, "standby")) {
            assertThat(standby.health("ready")).as("ready while not leading, so a rollout of 2 replicas completes")
                    .isEqualTo(200);
            assertThat(standby.health("live")).isEqualTo(200);
            assertThat(client.leases().inNamespace(NAMESPACE).withName("gpu-finops-operator-leader").get().getSpec()
                    .getHolderIdentity()).isEqualTo("leader");
            assertThat(standby.logText()).doesNotContain("Started event processing");
            assertThat(standby.logText().toLowerCase()).doesNotContain("forbidden");
        }
    }

    private static String costPerHour(String pool) {
        GpuPool gpuPool = client.resources(GpuPool.class).withName(pool).get();
        return gpuPool.getStatus() == null ? null : gpuPool.getStatus().getCostPerHour();
    }

    private static List<Event> unknownPriceEvents() {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "helm-e2e-unpriced".equals(e.getInvolvedObject().getName())
                        && "UnknownPrice".equals(e.getReason()) && "Warning".equals(e.getType()))
                .toList();
    }

    static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + conditions));
    }
}
