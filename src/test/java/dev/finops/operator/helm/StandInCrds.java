package dev.finops.operator.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Third-party CRDs for the chart tests. The Prometheus Operator's ServiceMonitor and PrometheusRule are the real
 * ones, fetched from its Go module at a pinned version by {@code hack/fetch-monitoring-crds.sh} (never committed),
 * so the chart's monitoring objects must pass their schemas. The capacity providers' are stand-ins (same group,
 * version, kind, plural and scope; any content accepted) so that {@code kubectl auth can-i} resolves them.
 */
final class StandInCrds {

    private StandInCrds() {
    }

    private static final Path MONITORING_CRDS = Path.of("target", "monitoring-crds");

    static void installPrometheusOperator(KubernetesClient client) {
        fetchMonitoringCrds();
        for (String plural : List.of("servicemonitors", "prometheusrules")) {
            try (InputStream yaml = Files.newInputStream(MONITORING_CRDS.resolve("monitoring.coreos.com_" + plural + ".yaml"))) {
                client.load(yaml).serverSideApply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            awaitEstablished(client, plural + ".monitoring.coreos.com");
        }
    }

    private static synchronized void fetchMonitoringCrds() {
        if (Files.isRegularFile(MONITORING_CRDS.resolve("monitoring.coreos.com_prometheusrules.yaml"))) {
            return;
        }
        try {
            Process process = new ProcessBuilder("hack/fetch-monitoring-crds.sh", MONITORING_CRDS.toString())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("hack/fetch-monitoring-crds.sh failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void installCapacityProviders(KubernetesClient client) {
        install(client, "karpenter.sh", "v1", "NodePool", "nodepools", "Cluster");
        install(client, "cluster.x-k8s.io", "v1beta1", "MachineDeployment", "machinedeployments", "Namespaced");
        install(client, "cluster.x-k8s.io", "v1beta1", "MachinePool", "machinepools", "Namespaced");
        install(client, "cluster.x-k8s.io", "v1beta1", "MachineSet", "machinesets", "Namespaced");
        install(client, "cluster.x-k8s.io", "v1beta1", "Machine", "machines", "Namespaced");
        install(client, "nodes.example.com", "v1", "NodeGroup", "nodegroups", "Namespaced");
        install(client, "argoproj.io", "v1alpha1", "Rollout", "rollouts", "Namespaced");
    }

    private static void install(KubernetesClient client, String group, String version, String kind, String plural,
            String scope) {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(scope)
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewScale().withSpecReplicasPath(".spec.replicas")
                .withStatusReplicasPath(".status.replicas").endScale().endSubresources()
                .endVersion().endSpec().build();
        client.resource(crd).serverSideApply();
        awaitEstablished(client, crd.getMetadata().getName());
    }

    private static void awaitEstablished(KubernetesClient client, String name) {
        client.apiextensions().v1().customResourceDefinitions().withName(name)
                .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                        30, TimeUnit.SECONDS);
    }
}
