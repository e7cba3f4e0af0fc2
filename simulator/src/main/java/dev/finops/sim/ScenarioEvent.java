package dev.finops.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One thing that happened in a scenario: a step ran (or failed) at an instant, and what it did. */
public record ScenarioEvent(Instant at, Duration elapsed, String step, int occurrence, boolean failed, String message) {

    /** The line printed per event, e.g. {@code 2025-11-29T16:40:00Z +00:01:30 start-trial#3 created Job ...}. */
    public String line() {
        long s = elapsed.getSeconds();
        String offset = String.format("+%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        return at.truncatedTo(ChronoUnit.SECONDS) + " " + offset + " " + step + (occurrence > 0 ? "#" + occurrence : "") + (failed ? " FAILED: " : " ")
                + message;
    }
}
