package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Conditions as Kubernetes API conventions want them: one per type, CamelCase reason, the generation they
 * describe, and a lastTransitionTime that moves only when the status flips.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    /** The list with the condition of {@code type} replaced (or appended), keeping the order of the others. */
    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason,
            String message, Long observedGeneration, Instant now) {
        return set(current, type, status ? TRUE : FALSE, reason, message, observedGeneration, now);
    }

    /** The same, with the reason from a kind's vocabulary of reasons (its name is the CamelCase reason). */
    public static List<Condition> set(List<Condition> current, String type, boolean status, Enum<?> reason,
            String message, Long observedGeneration, Instant now) {
        return set(current, type, status ? TRUE : FALSE, reason.name(), message, observedGeneration, now);
    }

    public static List<Condition> set(List<Condition> current, String type, String status, Enum<?> reason,
            String message, Long observedGeneration, Instant now) {
        return set(current, type, status, reason.name(), message, observedGeneration, now);
    }

    public static List<Condition> set(List<Condition> current, String type, String status, String reason,
            String message, Long observedGeneration, Instant now) {
        List<Condition> next = new ArrayList<>(current == null ? List.of() : current);
        Optional<Condition> previous = find(next, type);
        String transition = previous
                // a time that does not parse (status is writable by others) is missing: the transition is now
                .filter(c -> Objects.equals(c.getStatus(), status) && Timestamps.parse(c.getLastTransitionTime()).isPresent())
                .map(Condition::getLastTransitionTime)
                .orElse(DateTimeFormatter.ISO_INSTANT.format(now));
        Condition condition = new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition)
                .build();
        int index = previous.map(next::indexOf).orElse(-1);
        if (index >= 0) {
            next.set(index, condition);
        } else {
            next.add(condition);
        }
        return next;
    }

    /** The list without the condition of {@code type}: for a concern that does not apply (a disabled feature). */
    public static List<Condition> remove(List<Condition> current, String type) {
        List<Condition> next = new ArrayList<>(current == null ? List.of() : current);
        next.removeIf(condition -> type.equals(condition.getType()));
        return next;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }
}
