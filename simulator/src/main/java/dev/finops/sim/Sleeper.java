package dev.finops.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until an instant of a clock. Separate from {@link Clock} so that tests can pass a manual clock whose
 * "sleep" just moves time forward, and run an hour-long scenario in milliseconds.
 */
@FunctionalInterface
public interface Sleeper {

    void sleepUntil(Instant instant) throws InterruptedException;

    /** Real waiting on a real clock (re-checked, so a clock adjustment cannot oversleep by much). */
    static Sleeper of(Clock clock) {
        return instant -> {
            while (true) {
                Duration left = Duration.between(clock.instant(), instant);
                if (left.isZero() || left.isNegative()) {
                    return;
                }
                Thread.sleep(Math.min(left.toMillis() + 1, 1000));
            }
        };
    }
}
