package dev.finops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void readyWhenEveryDependencyIsTrue() {
        List<Condition> conditions = Conditions.set(List.of(), "Valid", true, "SpecValid", "ok", 3L, NOW);
        conditions = Conditions.set(conditions, "PricesKnown", true, "AllPriced", "ok", 3L, NOW);

        Condition ready = ready(Readiness.rollUp(conditions, List.of("Valid", "PricesKnown"), 3L, NOW, "Tracked."));

        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("Reconciled");
        assertThat(ready.getMessage()).isEqualTo("Tracked.");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
    }

    @Test
    void notReadyCarriesTheFirstBlockingReason() {
        List<Condition> conditions = Conditions.set(List.of(), "Valid", true, "SpecValid", "ok", 1L, NOW);
        conditions = Conditions.set(conditions, "PricesKnown", false, "UnknownPrice", "no price for x1", 1L, NOW);

        Condition ready = ready(Readiness.rollUp(conditions, List.of("Valid", "PricesKnown"), 1L, NOW, "Tracked."));

        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("UnknownPrice");
        assertThat(ready.getMessage()).isEqualTo("no price for x1");
    }

    @Test
    void unknownWhileADependencyIsNotReportedYet() {
        List<Condition> conditions = Conditions.set(List.of(), "Valid", true, "SpecValid", "ok", 1L, NOW);

        Condition ready = ready(Readiness.rollUp(conditions, List.of("Valid", "Accruing"), 1L, NOW, "Tracked."));

        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("Pending");
        assertThat(ready.getMessage()).isEqualTo("Accruing is not reported yet.");
    }

    private static Condition ready(List<Condition> conditions) {
        return Conditions.find(conditions, "Ready").orElseThrow();
    }
}
