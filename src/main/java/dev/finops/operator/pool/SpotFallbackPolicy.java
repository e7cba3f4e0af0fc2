package dev.finops.operator.pool;

import dev.finops.operator.pool.InterruptionHistory.Interruption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides when a pool falls back from spot to on-demand, and when it returns. Pure.
 *
 * <p>More than {@code maxInterruptionsPerHour} spot interruptions within a sliding hour start a fallback that
 * lasts exactly {@code cooldown}. Hysteresis: interruptions seen before a fallback ended were answered by it
 * (they include the spot nodes the fallback itself drains), so only interruptions after its end can start the
 * next one. The pool therefore never flips back to on-demand right after the cooldown on the same storm.
 */
public final class SpotFallbackPolicy {

    static final Duration WINDOW = Duration.ofHours(1);

    /** The outcome of one evaluation. {@code until} is null when no fallback is active. */
    public record State(InterruptionHistory history, int lastHour, Instant until, boolean started, int maxPerHour) {

        public boolean active() {
            return until != null;
        }
    }

    private SpotFallbackPolicy() {
    }

    public static State evaluate(InterruptionHistory stored, List<Interruption> observed, Instant previousUntil,
            int maxPerHour, Duration cooldown, Instant now) {
        Instant windowStart = now.minus(WINDOW);
        InterruptionHistory history = stored.merge(observed, windowStart);
        Instant until = previousUntil;
        if (until != null && !now.isBefore(until)) {
            Instant quiet = history.quietSince() == null || until.isAfter(history.quietSince()) ? until
                    : history.quietSince();
            history = history.quietSince(quiet);
            until = null;
        }
        boolean started = false;
        if (until == null) {
            Instant countFrom = history.quietSince() != null && history.quietSince().isAfter(windowStart)
                    ? history.quietSince() : windowStart;
            if (history.countAfter(countFrom) > maxPerHour) {
                until = now.plus(cooldown);
                started = true;
            }
        }
        return new State(history, history.interruptions().size(), until, started, maxPerHour);
    }
}
