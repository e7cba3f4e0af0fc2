package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;

/**
 * Writes a custom resource's status through its status subresource, only when it changed: each write is an
 * update event that reconciles the object again, so an unchanged status must cost nothing.
 */
final class StatusWriter {

    private StatusWriter() {
    }

    static void writeIfChanged(KubernetesClient client, CustomKind kind, GenericKubernetesResource object,
            Map<String, Object> status) {
        KubernetesSerialization json = client.getKubernetesSerialization();
        // through JSON and back, so that numbers compare as the informer's copy holds them (Integer, not Long)
        Object normalized = json.unmarshal(json.asJson(status), Map.class);
        if (normalized.equals(Unstructured.map(object, "status"))) {
            return;
        }
        GenericKubernetesResource updated = json.clone(object);
        updated.setAdditionalProperty("status", normalized);
        client.genericKubernetesResources(kind.context()).resource(updated).updateStatus();
    }
}
