package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.pool.InterruptionHistory.Interruption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpotFallbackPolicyTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final Duration COOLDOWN = Duration.ofMinutes(30);
    static final int MAX = 3;

    /** Drives the policy like the reconciler: one pass per minute, state carried over as status and annotation. */
    static final class Pool {
        InterruptionHistory history = InterruptionHistory.EMPTY;
        Instant until;
        List<Boolean> activeByMinute = new ArrayList<>();
        SpotFallbackPolicy.State last;

        void pass(Instant now, List<Interruption> observed) {
            last = SpotFallbackPolicy.evaluate(InterruptionHistory.decode(history.encode()), observed, until, MAX,
                    COOLDOWN, now);
            history = last.history();
            until = last.until();
            activeByMinute.add(last.active());
        }
    }

    static Interruption at(String node, int minute) {
        return new Interruption(node, T0.plus(Duration.ofMinutes(minute)));
    }

    @Test
    void aQuietPoolStaysOnSpot() {
        Pool pool = new Pool();
        pool.pass(T0, List.of(at("a", 0), at("b", 0), at("c", 0)));
        assertThat(pool.last.active()).isFalse();
        assertThat(pool.last.lastHour()).isEqualTo(3);
    }

    @Test
    void aStormFallsBackForExactlyTheCooldownAndDoesNotFlap() {
        Pool pool = new Pool();
        List<Interruption> storm = List.of(at("a", 0), at("b", 1), at("c", 2), at("d", 3));
        for (int minute = 0; minute <= 90; minute++) {
            Instant now = T0.plus(Duration.ofMinutes(minute));
            // the watch keeps reporting what it saw within the hour; a node counts once
            pool.pass(now, storm.stream().filter(i -> !i.at().isAfter(now)).toList());
        }
        // falls back at minute 3 (4 > 3), back to spot at minute 33, and stays there although the storm is
        // still within the sliding hour until minute 63
        for (int minute = 0; minute <= 90; minute++) {
            assertThat(pool.activeByMinute.get(minute)).as("minute %d", minute).isEqualTo(minute >= 3 && minute < 33);
        }
        assertThat(pool.last.lastHour()).isZero();
    }

    @Test
    void theFallbackStartsTheCooldownAndReportsTheHour() {
        SpotFallbackPolicy.State state = SpotFallbackPolicy.evaluate(InterruptionHistory.EMPTY,
                List.of(at("a", 0), at("b", 1), at("c", 2), at("d", 3)), null, MAX, COOLDOWN, T0.plusSeconds(200));
        assertThat(state.started()).isTrue();
        assertThat(state.until()).isEqualTo(T0.plusSeconds(200).plus(COOLDOWN));
        assertThat(state.lastHour()).isEqualTo(4);
    }

    @Test
    void aNewStormAfterTheCooldownFallsBackAgain() {
        Pool pool = new Pool();
        pool.pass(T0.plus(Duration.ofMinutes(3)), List.of(at("a", 0), at("b", 1), at("c", 2), at("d", 3)));
        assertThat(pool.last.active()).isTrue();
        pool.pass(T0.plus(Duration.ofMinutes(33)), List.of());
        assertThat(pool.last.active()).isFalse();
        pool.pass(T0.plus(Duration.ofMinutes(40)), List.of(at("e", 36), at("f", 37), at("g", 38)));
        assertThat(pool.last.active()).as("three new ones are not more than 3").isFalse();
        pool.pass(T0.plus(Duration.ofMinutes(41)), List.of(at("h", 41)));
        assertThat(pool.last.active()).isTrue();
        assertThat(pool.last.lastHour()).isEqualTo(8);
    }

    @Test
    void interruptionsOlderThanAnHourAreForgotten() {
        Pool pool = new Pool();
        pool.pass(T0, List.of(at("a", 0), at("b", 0)));
        pool.pass(T0.plus(Duration.ofMinutes(61)), List.of(at("c", 30), at("d", 60), at("e", 61)));
        assertThat(pool.last.lastHour()).isEqualTo(3);
        assertThat(pool.last.active()).isFalse();
    }

    @Test
    void theHistorySurvivesARestartThroughItsAnnotation() {
        InterruptionHistory history = new InterruptionHistory(List.of(at("a", 0), at("b", 1)), T0.plusSeconds(5));
        assertThat(InterruptionHistory.decode(history.encode())).isEqualTo(history);
        assertThat(InterruptionHistory.decode("not json")).isEqualTo(InterruptionHistory.EMPTY);
        // after a restart the watch has forgotten a and b, yet c and d make four within the hour
        SpotFallbackPolicy.State state = SpotFallbackPolicy.evaluate(
                new InterruptionHistory(List.of(at("a", 0), at("b", 1)), null), List.of(at("c", 2), at("d", 3)),
                null, MAX, COOLDOWN, T0.plus(Duration.ofMinutes(3)));
        assertThat(state.active()).isTrue();
    }
}
