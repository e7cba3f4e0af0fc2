package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.e2e.LocalCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A release with {@code watchNamespaces}: the operator, run as that release's ServiceAccount with its Deployment's
 * environment, reconciles the budgets of its namespace, leaves another namespace's budget alone and hits no
 * Forbidden error, although its RBAC on budgets and Events covers only its namespace (and default for GpuPool
 * Events).
 */
class NamespaceScopedChartE2EIT {

    private static final String NAMESPACE = "finops-e2e-scoped";
    private static final String WATCHED = "helm-scoped-a";
    private static final String OTHER = "helm-scoped-b";

    @Test
    void reconcilesOnlyTheWatchedNamespaceWithoutForbiddenErrors() throws InterruptedException {
        LocalCluster cluster = LocalCluster.get();
        KubernetesClient client = cluster.client();
        Helm helm = Helm.against(cluster.kubeconfig());
        GpuTestCluster gpus = new GpuTestCluster(client, "helm-scoped");
        for (String namespace : List.of(NAMESPACE, WATCHED, OTHER)) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
        }
        helm.install("scoped", NAMESPACE, "--set", "watchNamespaces={" + WATCHED + "}",
                "--set", "config.passInterval=2s", "--set", "config.accrualSettleDelay=2s").orFail();
        try {
            gpus.gpuNode("helm-scoped-p4d", "p4d.24xlarge", "helm-scoped");
            gpus.runningGpuPod(WATCHED, "trainer", "team-a", "helm-scoped-p4d", 1, Duration.ofMinutes(5));
            client.resource(Fixtures.budget("team-a", WATCHED)).create();
            client.resource(Fixtures.budget("team-b", OTHER)).create();
            client.resource(Fixtures.pool("helm-scoped")).create();

            try (ChartOperatorProcess operator = ChartOperatorProcess.start(client, helm, "scoped", NAMESPACE, "scoped")) {
                try {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        ExperimentBudget watched = client.resources(ExperimentBudget.class).inNamespace(WATCHED)
                                .withName("team-a").get();
                        assertThat(watched.getStatus()).isNotNull();
                        assertThat(StatusConditions.required(watched.getStatus().getConditions(), "Ready").getStatus())
                                .isEqualTo("True");
                    });
                    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> {
                        ExperimentBudget other = client.resources(ExperimentBudget.class).inNamespace(OTHER)
                                .withName("team-b").get();
                        return other.getStatus() == null && other.getMetadata().getFinalizers().isEmpty();
                    });
                    String log = operator.logText();
                    assertThat(log).contains("Registered reconciler: 'experimentbudget'",
                            "for namespace(s): [" + WATCHED + "]");
                    assertThat(log.toLowerCase()).doesNotContain("forbidden");
                } finally {
                    client.resources(ExperimentBudget.class).inNamespace(OTHER).delete();
                    gpus.removeAll(List.of("helm-scoped"), WATCHED, OTHER);
                }
            }
        } finally {
            // its status protection admits only this release's ServiceAccount to GpuPool status
            helm.run(List.of("uninstall", "scoped", "--namespace", NAMESPACE, "--wait")).orFail();
        }
    }
}
