package dev.finops.operator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes on a workload: one JSON merge patch of its record (annotations and label) and, for a kind stopped by
 * a suspend field, that field; and the {@code /scale} subresource. A refusal (403) comes back with the chart value
 * that grants the right, from the kinds table, and keeps its code, so callers still tell a 403 from a 409.
 */
final class WorkloadPatches {

    /** Plain Jackson: a merge patch needs its nulls (fabric8's serialization drops them). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiObjects objects;

    WorkloadPatches(ApiObjects objects) {
        this.objects = objects;
    }

    /**
     * Writes {@code record} as the workload's record (annotations and label; removes them when null) and clears
     * any restore request; sets the suspend field at {@code suspendPath} when {@code suspend} is not null. Touches
     * only these fields, so it never conflicts with the controllers updating the workload's status; with
     * {@code resourceVersion}, only if the workload has not changed since it was read.
     */
    void patch(WorkloadRef ref, Map<String, String> record, List<String> suspendPath, Boolean suspend,
            String resourceVersion) {
        Map<String, Object> annotations = new HashMap<>();
        RestoreRecord.KEYS.forEach(key -> annotations.put(key, null));
        annotations.put(RestoreRecord.RESTORE, null);
        if (record != null) {
            annotations.putAll(record);
        }
        Map<String, Object> labels = new HashMap<>();
        labels.put(RestoreRecord.LABEL, record == null ? null : "true");
        Map<String, Object> metadata = new HashMap<>(Map.of("annotations", annotations, "labels", labels));
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        Map<String, Object> patch = new HashMap<>(Map.of("metadata", metadata));
        if (suspend != null) {
            Object value = suspend;
            for (int i = suspendPath.size() - 1; i > 0; i--) {
                value = Map.of(suspendPath.get(i), value);
            }
            patch.put(suspendPath.get(0), value);
        }
        try {
            objects.resource(ref).patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (KubernetesClientException e) {
            throw refused(ref, "patch", e);
        }
    }

    /** Scales through the {@code /scale} subresource (a get and an update of the Scale). */
    void scale(WorkloadRef ref, int replicas) {
        try {
            objects.resource(ref).scale(replicas);
        } catch (KubernetesClientException e) {
            throw refused(ref, "update", e);
        }
    }

    /** A 403 explained with the right to grant; anything else as it came. */
    static KubernetesClientException refused(WorkloadRef ref, String verb, KubernetesClientException e) {
        if (e.getCode() != 403) {
            return e;
        }
        String plural = WorkloadKind.of(ref).map(WorkloadKind::plural).orElse(ref.kind().toLowerCase() + "s");
        return explained(e, ApiObjects.forbidden(verb, ref.apiVersion(), ref.kind(), plural)
                + (verb.equals("update") ? " (its /scale subresource)" : ""));
    }

    static KubernetesClientException explained(KubernetesClientException e, String message) {
        return new KubernetesClientException(message + " [" + e.getMessage() + "]", e.getCode(), e.getStatus());
    }
}
