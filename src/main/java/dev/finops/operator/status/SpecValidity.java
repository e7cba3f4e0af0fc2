package dev.finops.operator.status;

import dev.finops.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The Valid condition of a resource from the violations of its spec. */
public final class SpecValidity {

    public static final String VALID = "Valid";
    public static final String REASON_VALID = "SpecValid";
    public static final String REASON_INVALID = "InvalidSpec";

    private SpecValidity() {
    }

    public static List<Condition> record(List<Condition> conditions, List<Violation> violations, Long generation,
            Instant now) {
        if (violations.isEmpty()) {
            return Conditions.set(conditions, VALID, true, REASON_VALID, "The spec is valid.", generation, now);
        }
        return Conditions.set(conditions, VALID, false, REASON_INVALID, describe(violations), generation, now);
    }

    /** One line naming every bad field, e.g. {@code spec.timeZone: "Mars/Base" is not an IANA time zone}. */
    public static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
