package dev.finops.sim.ml;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metav1.Condition}s in a status held as maps, set as apimachinery's {@code meta.SetStatusCondition}
 * does: lastTransitionTime moves only when the status changes.
 */
final class Conditions {

    private Conditions() {
    }

    static boolean isTrue(List<Map<String, Object>> conditions, String type) {
        return conditions.stream().anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    static void set(List<Map<String, Object>> conditions, String type, boolean value, String reason, String message,
            long generation, Instant now) {
        String status = value ? "True" : "False";
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("reason", reason);
        c.put("message", message);
        c.put("observedGeneration", generation);
        c.put("lastTransitionTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        for (int i = 0; i < conditions.size(); i++) {
            Map<String, Object> old = conditions.get(i);
            if (type.equals(old.get("type"))) {
                if (status.equals(old.get("status"))) {
                    c.put("lastTransitionTime", old.get("lastTransitionTime"));
                }
                conditions.set(i, c);
                return;
            }
        }
        conditions.add(c);
    }
}
