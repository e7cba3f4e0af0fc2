package dev.finops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.ExperimentBudget;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    /** What Kubernetes accepts as an Event's name: a DNS subdomain. */
    private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    private static ExperimentBudget budget(String name) {
        ExperimentBudget budget = new ExperimentBudget();
        budget.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").withUid("uid-1").build());
        return budget;
    }

    private static List<Condition> accruing(boolean status, String reason) {
        return Conditions.set(List.of(), "Accruing", status, reason, "m " + reason, 1L, NOW);
    }

    @Test
    void aLedgerRestartOrOverflowIsAWarningEventEvenWhereTheStatusDoesNotFlip() {
        RecordingEvents events = new RecordingEvents();
        ExperimentBudget budget = budget("b");

        events.publishTransitions(budget, accruing(true, "Accruing"), accruing(true, "LedgerRestarted"));
        events.publishTransitions(budget, accruing(true, "LedgerRestarted"), accruing(true, "LedgerRestarted"));
        events.publishTransitions(budget, accruing(true, "Accruing"), accruing(false, "Overflow"));
        events.publishTransitions(budget, accruing(false, "Overflow"), accruing(true, "Accruing"));

        assertThat(events.published()).containsExactly("Warning LedgerRestarted team-a/b: m LedgerRestarted",
                "Warning Overflow team-a/b: m Overflow");
    }

    @Test
    void eventNamesStayWithin253CharactersAndAreValidWhateverTheObjectsName() {
        String longest = "a".repeat(230) + "-b." + "c".repeat(20);
        for (String name : List.of("b", longest, "x".repeat(236) + "-" + "y".repeat(16), "z".repeat(253))) {
            String eventName = ConditionEvents.eventName(budget(name), "Warning", "LimitReached", "m", NOW.toString());
            assertThat(eventName).as(name).hasSizeLessThanOrEqualTo(253).matches(DNS_SUBDOMAIN);
        }
        assertThat(ConditionEvents.eventName(budget("b"), "Warning", "LimitReached", "m", NOW.toString()))
                .as("short names are kept whole").startsWith("b.").hasSize(2 + 16)
                .as("deterministic").isEqualTo(ConditionEvents.eventName(budget("b"), "Warning", "LimitReached", "m",
                        NOW.toString()))
                .isNotEqualTo(ConditionEvents.eventName(budget("b"), "Warning", "LimitReached", "m",
                        NOW.plusMillis(1).toString()));
        assertThat(ConditionEvents.eventName(budget("x".repeat(236) + "-" + "y".repeat(16)), "Normal", "R", "m",
                NOW.toString())).as("cut to end in an alphanumeric").startsWith("x".repeat(236) + ".");
    }
}
