package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Rolls a few conditions up into Ready: True when all of them are True, else the first that is not. */
public final class Readiness {

    public static final String READY = "Ready";

    private Readiness() {
    }

    public static List<Condition> rollUp(List<Condition> conditions, List<String> dependsOn, Long generation,
            Instant now, String readyMessage) {
        Optional<Condition> blocking = dependsOn.stream()
                .map(type -> Conditions.find(conditions, type)
                        .orElse(new ConditionBuilder().withType(type).withStatus(Conditions.UNKNOWN)
                                .withReason("Pending").withMessage(type + " is not reported yet.").build()))
                .filter(c -> !Conditions.TRUE.equals(c.getStatus()))
                .findFirst();
        if (blocking.isEmpty()) {
            return Conditions.set(conditions, READY, true, "Reconciled", readyMessage, generation, now);
        }
        Condition cause = blocking.get();
        String status = Conditions.UNKNOWN.equals(cause.getStatus()) ? Conditions.UNKNOWN : Conditions.FALSE;
        return Conditions.set(conditions, READY, status, cause.getReason(), cause.getMessage(), generation, now);
    }
}
