package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pods a Kubeflow v1 job should have, as the training operator v1.8.1 makes them
 * ({@code createNewPod} in pkg/controller.v1/common/pod.go): per replica type and index one pod named
 * {@code <job>-<type lowercased>-<index>}, from the replica's template, with the operator's labels and the
 * job as controller owner, and the replica's restart policy ({@code ExitCode} becomes {@code Never}).
 * What pods do not need here is left out: the cluster-spec environment (MASTER_ADDR...), the per-pod
 * Services, gang scheduling.
 */
final class KubeflowJobPods {

    private KubeflowJobPods() {
    }

    static List<Pod> desired(KubeflowJobKind kind, GenericKubernetesResource job, KubernetesSerialization json) {
        Map<String, Object> specs = new TreeMap<>(Unstructured.map(job, "spec", kind.replicaSpecsField()));
        Set<String> types = specs.keySet();
        List<Pod> pods = new ArrayList<>();
        for (String type : types) {
            Map<String, Object> spec = Unstructured.map(specs, type);
            int replicas = Unstructured.integer(spec, 1, "replicas");
            for (int index = 0; index < replicas; index++) {
                pods.add(pod(kind, job, type, index, kind.isMaster(types, type, index), spec, json));
            }
        }
        return pods;
    }

    /** The pod name v1.8.1 gives (GenGeneralName). */
    static String podName(String jobName, String replicaType, int index) {
        return (jobName + "-" + replicaType.toLowerCase(Locale.ROOT) + "-" + index).replace('/', '-');
    }

    private static Pod pod(KubeflowJobKind kind, GenericKubernetesResource job, String type, int index,
            boolean master, Map<String, Object> replicaSpec, KubernetesSerialization json) {
        PodTemplateSpec template = json.convertValue(Unstructured.map(replicaSpec, "template"), PodTemplateSpec.class);
        ObjectMeta meta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(KubeflowJobKind.OPERATOR_NAME_LABEL, kind.controllerName());
        labels.put(KubeflowJobKind.JOB_NAME_LABEL, job.getMetadata().getName().replace('/', '-'));
        labels.put(KubeflowJobKind.REPLICA_TYPE_LABEL, type.toLowerCase(Locale.ROOT));
        labels.put(KubeflowJobKind.REPLICA_INDEX_LABEL, Integer.toString(index));
        if (master) {
            labels.put(KubeflowJobKind.JOB_ROLE_LABEL, "master");
        }
        String restartPolicy = Unstructured.string(replicaSpec, "restartPolicy");
        return new PodBuilder()
                .withNewMetadata()
                    .withName(podName(job.getMetadata().getName(), type, index))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withAnnotations(meta.getAnnotations())
                    .withOwnerReferences(Owners.controllerRef(job))
                .endMetadata()
                .withSpec(template.getSpec())
                .editSpec()
                    .withRestartPolicy(restartPolicy == null || restartPolicy.isEmpty() ? null
                            : "ExitCode".equals(restartPolicy) ? "Never" : restartPolicy)
                .endSpec()
                .build();
    }
}
