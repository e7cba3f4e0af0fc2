package dev.finops.operator.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for third-party CRDs (same group, version, kind, plural and scope; any content accepted), so the chart
 * installs with its Prometheus Operator objects on a bare API server and {@code kubectl auth can-i} resolves the
 * Karpenter and Cluster API resources. They prove objects are created and rights granted, not that the real CRDs'
 * schemas accept the objects.
 */
final class StandInCrds {

    private StandInCrds() {
    }

    static void installPrometheusOperator(KubernetesClient client) {
        install(client, "monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", "Namespaced");
        install(client, "monitoring.coreos.com", "v1", "PrometheusRule", "prometheusrules", "Namespaced");
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
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                        .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                        30, TimeUnit.SECONDS);
    }
}
