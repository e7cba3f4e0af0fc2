package dev.finops.sim.ml;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubeflow v1 job's status as the training operator v1.8.1 keeps it (pkg/controller.v1/common/job.go and
 * pkg/util/status.go): conditions {@code Created}, {@code Running}, {@code Suspended}, {@code Succeeded}
 * with reasons {@code <Kind><Reason>} (e.g. {@code PyTorchJobSuspended}), {@code replicaStatuses} per type,
 * {@code startTime} reset on resume. Pure: old status and observed pods in, new status out.
 */
final class KubeflowJobStatus {

    /** What the controller saw of one replica type's pods. */
    record ReplicaCounts(int active, int succeeded, int failed) {
    }

    private KubeflowJobStatus() {
    }

    static Map<String, Object> next(String kind, String name, Map<String, Object> old, boolean suspended,
            Map<String, ReplicaCounts> replicas, boolean allRunning, boolean succeeded, Instant now) {
        now = now.truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> status = new LinkedHashMap<>(old);
        List<Map<String, Object>> conditions = new ArrayList<>(Unstructured.list(old, "conditions"));
        set(conditions, "Created", true, kind + "Created", kind + " " + name + " is created.", now);
        if (succeeded) {
            set(conditions, "Running", false, kind + "Succeeded", kind + " " + name + " is successfully completed.", now);
            set(conditions, "Succeeded", true, kind + "Succeeded", kind + " " + name + " is successfully completed.", now);
            status.putIfAbsent("completionTime", now.toString());
        } else if (suspended) {
            if (isTrue(conditions, "Running")) {
                set(conditions, "Running", false, kind + "Suspended", kind + " " + name + " is suspended.", now);
            }
            set(conditions, "Suspended", true, kind + "Suspended", kind + " " + name + " is suspended.", now);
        } else {
            if (isTrue(conditions, "Suspended")) {
                set(conditions, "Suspended", false, kind + "Resumed", kind + " " + name + " is resumed.", now);
                status.put("startTime", now.toString());
            }
            status.putIfAbsent("startTime", now.toString());
            if (allRunning) {
                set(conditions, "Running", true, kind + "Running", kind + " " + name + " is running.", now);
            }
        }
        status.put("conditions", conditions);
        Map<String, Object> counts = new LinkedHashMap<>();
        replicas.forEach((type, c) -> counts.put(type, Map.of("active", suspended ? 0 : c.active(),
                "succeeded", c.succeeded(), "failed", c.failed())));
        status.put("replicaStatuses", counts);
        return status;
    }

    static boolean isTrue(List<Map<String, Object>> conditions, String type) {
        return conditions.stream().anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    /** Sets one condition in place; lastTransitionTime moves only when its status changes, as upstream. */
    private static void set(List<Map<String, Object>> conditions, String type, boolean value, String reason,
            String message, Instant now) {
        String status = value ? "True" : "False";
        for (int i = 0; i < conditions.size(); i++) {
            Map<String, Object> c = conditions.get(i);
            if (type.equals(c.get("type"))) {
                if (status.equals(c.get("status")) && Objects.equals(reason, c.get("reason"))) {
                    return;
                }
                Map<String, Object> updated = condition(type, status, reason, message, now);
                if (status.equals(c.get("status"))) {
                    updated.put("lastTransitionTime", c.get("lastTransitionTime"));
                }
                conditions.set(i, updated);
                return;
            }
        }
        conditions.add(condition(type, status, reason, message, now));
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message,
            Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("reason", reason);
        c.put("message", message);
        c.put("lastUpdateTime", now.toString());
        c.put("lastTransitionTime", now.toString());
        return c;
    }
}
