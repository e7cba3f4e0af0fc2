package dev.finops.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Status snapshots compared and copied by their JSON form: exactly what the API server stores, so a status
 * that round-trips unchanged is never written again.
 */
public final class Statuses {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Statuses() {
    }

    public static boolean differs(Object stored, Object computed) {
        return !toJson(stored).equals(toJson(computed));
    }

    /** A deep copy to compute the next status from, leaving the cached resource untouched. */
    public static <T> T copyOf(T status, Class<T> type, java.util.function.Supplier<T> empty) {
        return status == null ? empty.get() : MAPPER.convertValue(status, type);
    }

    private static JsonNode toJson(Object status) {
        return MAPPER.valueToTree(status);
    }
}
