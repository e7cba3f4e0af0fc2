package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The pods a RayCluster should have, as KubeRay v1.5.0 makes them (controllers/ray/common/pod.go): one head
 * and, per worker group, its desired replicas ({@code GetWorkerGroupDesiredReplicas}: 0 when the group is
 * suspended, else replicas clamped to [minReplicas, maxReplicas], times numOfHosts); each pod from its
 * group's template with a generated name ({@code <cluster>-head-xxxxx}, {@code <cluster>-<group>-worker-xxxxx}),
 * KubeRay's labels and the RayCluster as controller owner. Ray's start command, ports and env are left out.
 */
final class RayClusterPods {

    private RayClusterPods() {
    }

    /** Desired pods per group ({@value KubeRay#HEAD_GROUP} for the head); all zero when the cluster is suspended. */
    static Map<String, Integer> desiredCounts(GenericKubernetesResource cluster) {
        boolean suspended = Unstructured.isTrue(cluster, "spec", "suspend");
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(KubeRay.HEAD_GROUP, suspended ? 0 : 1);
        for (Map<String, Object> group : Unstructured.list(cluster.getAdditionalProperties(), "spec", "workerGroupSpecs")) {
            counts.put(Unstructured.string(group, "groupName"), suspended ? 0 : desiredReplicas(group));
        }
        return counts;
    }

    static int desiredReplicas(Map<String, Object> group) {
        if (Unstructured.isTrue(group, "suspend")) {
            return 0;
        }
        int min = Unstructured.integer(group, 0, "minReplicas");
        int max = Unstructured.integer(group, Integer.MAX_VALUE, "maxReplicas");
        int replicas = Unstructured.integer(group, min, "replicas");
        int desired = min > max ? max : Math.min(Math.max(replicas, min), max);
        return desired * Unstructured.integer(group, 1, "numOfHosts");
    }

    /** A new pod of {@code group} (the head for {@value KubeRay#HEAD_GROUP}). */
    static Pod newPod(GenericKubernetesResource cluster, String group, KubernetesSerialization json) {
        boolean head = KubeRay.HEAD_GROUP.equals(group);
        String clusterName = cluster.getMetadata().getName();
        Map<String, Object> templateMap = head ? Unstructured.map(cluster, "spec", "headGroupSpec", "template")
                : Unstructured.list(cluster.getAdditionalProperties(), "spec", "workerGroupSpecs").stream()
                        .filter(g -> group.equals(g.get("groupName"))).findFirst()
                        .map(g -> Unstructured.map(g, "template")).orElseThrow();
        PodTemplateSpec template = json.convertValue(templateMap, PodTemplateSpec.class);
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String nodeType = head ? "head" : "worker";
        return new PodBuilder()
                .withNewMetadata()
                    .withGenerateName(podPrefix(head ? clusterName : clusterName + "-" + group, nodeType))
                    .withNamespace(cluster.getMetadata().getNamespace())
                    .withLabels(labels(clusterName, nodeType, group, meta.getLabels()))
                    .withAnnotations(meta.getAnnotations())
                    .withOwnerReferences(Owners.controllerRef(cluster))
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    /** {@code utils.PodName(prefix, nodeType, true)}: the prefix cut to 50 characters, lowercased. */
    static String podPrefix(String prefix, String nodeType) {
        String cut = prefix.length() <= 50 ? prefix : prefix.substring(0, 50);
        return (cut + "-" + nodeType).toLowerCase(Locale.ROOT) + "-";
    }

    /** {@code labelPod}: KubeRay's labels, then the template's, except the three that say what the pod is. */
    static Map<String, String> labels(String cluster, String nodeType, String group, Map<String, String> template) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(KubeRay.IS_RAY_NODE_LABEL, "yes");
        labels.put(KubeRay.CLUSTER_LABEL, cluster);
        labels.put(KubeRay.NODE_TYPE_LABEL, nodeType);
        labels.put(KubeRay.GROUP_LABEL, group);
        String id = cluster + "-" + nodeType;
        labels.put(KubeRay.IDENTIFIER_LABEL, id.length() <= 63 ? id : id.substring(id.length() - 63)); // CheckLabel
        labels.put(KubeRay.APP_NAME_LABEL, "kuberay");
        labels.put(KubeRay.CREATED_BY_LABEL, "kuberay-operator");
        if (template != null) {
            template.forEach((k, v) -> {
                if (!k.equals(KubeRay.NODE_TYPE_LABEL) && !k.equals(KubeRay.GROUP_LABEL) && !k.equals(KubeRay.CLUSTER_LABEL)) {
                    labels.put(k, v);
                }
            });
        }
        return labels;
    }
}
