package dev.finops.operator.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for the Prometheus Operator's ServiceMonitor and PrometheusRule CRDs (same group, version, kinds and
 * scope; any content accepted), so the chart can be installed with its monitoring objects on a bare API server.
 * They prove the objects are created, not that the Prometheus Operator's own schema accepts them.
 */
final class PrometheusOperatorCrds {

    private PrometheusOperatorCrds() {
    }

    static void install(KubernetesClient client) {
        for (List<String> kind : List.of(List.of("ServiceMonitor", "servicemonitors"),
                List.of("PrometheusRule", "prometheusrules"))) {
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName(kind.get(1) + ".monitoring.coreos.com").endMetadata()
                    .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                    .withNewNames().withKind(kind.get(0)).withPlural(kind.get(1))
                    .withSingular(kind.get(0).toLowerCase()).endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true)
                    .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                    .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion().endSpec().build();
            client.resource(crd).serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                            30, TimeUnit.SECONDS);
        }
    }
}
