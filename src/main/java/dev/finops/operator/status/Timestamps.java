package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 3339 times read back from a stored status, which anyone with status rights can write: one that does not
 * parse is missing, never an exception that stalls the pass.
 */
public final class Timestamps {

    private Timestamps() {
    }

    public static Optional<Instant> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Drops the transition times that do not parse from {@code conditions} (the next condition write sets them
     * again); returns the fields dropped, for the report.
     */
    public static List<String> clearGarbage(List<Condition> conditions) {
        List<String> cleared = new ArrayList<>();
        for (Condition condition : conditions == null ? List.<Condition>of() : conditions) {
            if (garbage(condition.getLastTransitionTime())) {
                cleared.add("status.conditions[" + condition.getType() + "].lastTransitionTime ("
                        + condition.getLastTransitionTime() + ")");
                condition.setLastTransitionTime(null);
            }
        }
        return cleared;
    }

    /** True when {@code value} is set but is no RFC 3339 time. */
    public static boolean garbage(String value) {
        return value != null && parse(value).isEmpty();
    }
}
