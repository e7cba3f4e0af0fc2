package dev.finops.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorchJob (kubeflow.org/v1) and a RayJob (ray.io/v1) as users write them, in the fields of the upstream
 * CRDs (training-operator v1.8.1, KubeRay v1.5.0). The simulator's controllers turn them into pods.
 */
final class MlWorkloadManifests {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** The Ray version the sample RayJobs name; nothing runs it. */
    static final String RAY_VERSION = "2.46.0";

    private MlWorkloadManifests() {
    }

    /** One Master and {@code replicas - 1} Workers, restartPolicy OnFailure as the PyTorchJob examples have. */
    static GenericKubernetesResource pyTorchJob(GpuWorkload w, ObjectMeta metadata, PodTemplateSpec template) {
        Map<String, Object> replicaSpecs = new LinkedHashMap<>();
        replicaSpecs.put("Master", replicaSpec(1, template));
        if (w.replicas() > 1) {
            replicaSpecs.put("Worker", replicaSpec(w.replicas() - 1, template));
        }
        return resource("kubeflow.org/v1", "PyTorchJob", metadata, Map.of("pytorchReplicaSpecs", replicaSpecs));
    }

    /**
     * A RayJob with {@code shutdownAfterJobFinishes: true} (so it may be suspended) and a RayCluster of a CPU
     * head and one worker group {@code gpu-workers} of exactly {@code replicas} GPU pods.
     */
    static GenericKubernetesResource rayJob(GpuWorkload w, ObjectMeta metadata, PodTemplateSpec head,
            PodTemplateSpec worker) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("groupName", "gpu-workers");
        group.put("replicas", w.replicas());
        group.put("minReplicas", w.replicas());
        group.put("maxReplicas", w.replicas());
        group.put("rayStartParams", Map.of());
        group.put("template", JSON.convertValue(worker, Map.class));
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("rayVersion", RAY_VERSION);
        cluster.put("headGroupSpec", Map.of("rayStartParams", Map.of(), "template", JSON.convertValue(head, Map.class)));
        cluster.put("workerGroupSpecs", List.of(group));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("entrypoint", "python /home/ray/train.py");
        spec.put("shutdownAfterJobFinishes", true);
        spec.put("rayClusterSpec", cluster);
        return resource("ray.io/v1", "RayJob", metadata, spec);
    }

    private static Map<String, Object> replicaSpec(int replicas, PodTemplateSpec template) {
        return Map.of("replicas", replicas, "restartPolicy", "OnFailure", "template", JSON.convertValue(template, Map.class));
    }

    private static GenericKubernetesResource resource(String apiVersion, String kind, ObjectMeta metadata,
            Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(apiVersion);
        resource.setKind(kind);
        resource.setMetadata(metadata);
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }
}
