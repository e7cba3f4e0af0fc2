package dev.finops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-01T10:05:00Z");

    @Test
    void keepsTheTransitionTimeWhileTheStatusStaysTheSame() {
        List<Condition> first = Conditions.set(List.of(), "Valid", true, "SpecValid", "ok", 1L, T0);
        List<Condition> second = Conditions.set(first, "Valid", true, "SpecValid", "still ok", 2L, T1);

        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-01T10:00:00Z");
            assertThat(c.getMessage()).isEqualTo("still ok");
            assertThat(c.getObservedGeneration()).isEqualTo(2L);
        });
    }

    @Test
    void movesTheTransitionTimeWhenTheStatusFlips() {
        List<Condition> first = Conditions.set(List.of(), "Valid", true, "SpecValid", "ok", 1L, T0);
        List<Condition> second = Conditions.set(first, "Valid", false, "InvalidSpec", "spec.limit: bad", 2L, T1);

        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("InvalidSpec");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-01T10:05:00Z");
        });
    }

    @Test
    void replacesInPlaceAndAppendsNewTypes() {
        List<Condition> conditions = Conditions.set(List.of(), "Valid", true, "A", "a", 1L, T0);
        conditions = Conditions.set(conditions, "Ready", true, "B", "b", 1L, T0);
        conditions = Conditions.set(conditions, "Valid", false, "C", "c", 1L, T1);

        assertThat(conditions).extracting(Condition::getType).containsExactly("Valid", "Ready");
        assertThat(Conditions.isTrue(conditions, "Valid")).isFalse();
        assertThat(Conditions.isTrue(conditions, "Ready")).isTrue();
        assertThat(Conditions.isTrue(conditions, "Missing")).isFalse();
    }
}
