package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.e2e.LocalCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * On the local control plane: {@code helm install --wait} of the chart (its pod admitted under the restricted Pod
 * Security Standard, scheduled and made ready by kwok), then the packaged operator run as the chart's ServiceAccount
 * with the Deployment's environment: it wins the Lease, reads the chart's price ConfigMap (and its edits), records
 * Events, suspends and restores workloads of an exceeded budget, and completes every reconcile with no Forbidden
 * error; a second replica stands by ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
            if (helm != null) {
                // its status protection admits only this release's ServiceAccount: the operators of later tests on
                // the same cluster must be able to write status
                helm.run(List.of("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait")).orFail();
            }
        }
    }

    @Test
    @Order(1)
    void reconcilesAsTheChartServiceAccountWithoutAnyForbiddenError() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ExperimentBudget budget = client.resources(ExperimentBudget.class).inNamespace(TEAM_NAMESPACE)
                    .withName("team-a").get();
            assertThat(budget.getStatus()).isNotNull();
            assertThat(StatusConditions.required(budget.getStatus().getConditions(), "Ready").getStatus())
                    .isEqualTo("True");
            assertThat(new BigDecimal(budget.getStatus().getSpent())).isPositive();
            assertThat(budget.getStatus().getBurnRatePerHour()).as("2 of 8 GPUs of a p4d.24xlarge at 32.7726/h")
                    .isEqualTo("8.19");
            assertThat(budget.getMetadata().getFinalizers()).isNotEmpty();
            GpuPool custom = client.resources(GpuPool.class).withName("helm-e2e-custom").get();
            assertThat(custom.getStatus()).isNotNull();
            assertThat(StatusConditions.required(custom.getStatus().getConditions(), "PricesKnown").getStatus())
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
    @Order(2)
    void priceConfigMapEditsThroughHelmApplyWithoutARestart() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "12.34".equals(costPerHour("helm-e2e-custom")));
        helm.upgrade(RELEASE, NAMESPACE, "--reuse-values",
                "-f", gpus.valuesFile("prices-2", PRICES.formatted("20.00")).toString()).orFail();
        await().atMost(Duration.ofSeconds(60)).until(() -> "20.00".equals(costPerHour("helm-e2e-custom")));
        assertThat(operator.logText().toLowerCase()).doesNotContain("forbidden");
    }

    @Test
    @Order(3)
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
    @Order(4)
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

    @Test
    @Order(5)
    void enforcesAndRestoresWorkloadsThroughTheChartsRbac() {
        String namespace = "helm-enforce";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .serverSideApply();
        gpus.kwokGpuNode("helm-e2e-kwok-gpu");
        PodTemplateSpec pod = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("team", "helm-enforced")
                .addToLabels("app", "trainer").addToAnnotations("pod-complete.stage.kwok.x-k8s.io/delay", "1h")
                .addToAnnotations("pod-complete.stage.kwok.x-k8s.io/jitter-delay", "1h")
                .endMetadata().withNewSpec().withRestartPolicy("Never")
                .withNodeSelector(Map.of("finops.dev/e2e-node", "helm-e2e-kwok-gpu"))
                .addNewContainer().withName("main").withImage("registry.example/gpu:1")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec().build();
        Deployment trainer = new DeploymentBuilder().withNewMetadata().withName("trainer").withNamespace(namespace)
                .endMetadata().withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "trainer")
                .endSelector().withTemplate(new PodTemplateSpecBuilder(pod).editSpec().withRestartPolicy("Always")
                        .endSpec().build()).endSpec().build();
        client.resource(trainer).create();
        client.resource(new JobBuilder().withNewMetadata().withName("sweep").withNamespace(namespace).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTemplate(new PodTemplateSpecBuilder(pod).editMetadata()
                        .removeFromLabels("app").endMetadata().build()).endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(namespace).list().getItems()
                .stream().filter(p -> p.getStatus().getStartTime() != null).count() >= 3);
        ExperimentBudget budget = Fixtures.budget("helm-enforced", namespace);
        budget.getSpec().setLimit(new IntOrString("0.01"));
        budget.getSpec().getEnforcement().setAction(EnforcementAction.Suspend);
        budget.getSpec().getEnforcement().setGracePeriod("0s");
        client.resource(budget).create();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(namespace).withName("trainer").get().getSpec()
                    .getReplicas()).isZero();
            assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("sweep").get().getSpec()
                    .getSuspend()).isTrue();
        });
        client.resources(ExperimentBudget.class).inNamespace(namespace).withName("helm-enforced")
                // as kubectl patch does: no resourceVersion, so no conflict with the operator's status writes
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"limit\":\"100000\"}}");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(namespace).withName("trainer").get().getSpec()
                    .getReplicas()).as("restored exactly").isEqualTo(2);
            assertThat(client.batch().v1().jobs().inNamespace(namespace).withName("sweep").get().getSpec()
                    .getSuspend()).isFalse();
        });
        assertThat(operator.logText().toLowerCase()).doesNotContain("forbidden");
        client.resources(ExperimentBudget.class).inNamespace(namespace).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(ExperimentBudget.class)
                .inNamespace(namespace).list().getItems().isEmpty());
        client.namespaces().withName(namespace).delete();
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


}
