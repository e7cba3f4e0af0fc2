package dev.finops.sim;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Which workload a pod belongs to, for looking up its utilisation profile: namespace plus workload name.
 * Simulator pods carry {@link SimulatorLabels#WORKLOAD}; for other pods the usual labels or the owner stand in.
 */
public record WorkloadKey(String namespace, String name) {

    private static final List<String> NAME_LABELS = List.of(SimulatorLabels.WORKLOAD,
            "app.kubernetes.io/name", "app", "batch.kubernetes.io/job-name", "job-name");

    public static WorkloadKey of(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        for (String label : NAME_LABELS) {
            String value = labels.get(label);
            if (value != null && !value.isEmpty()) {
                return new WorkloadKey(pod.getMetadata().getNamespace(), value);
            }
        }
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        String name = owners == null || owners.isEmpty() ? pod.getMetadata().getName() : owners.get(0).getName();
        return new WorkloadKey(pod.getMetadata().getNamespace(), name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
