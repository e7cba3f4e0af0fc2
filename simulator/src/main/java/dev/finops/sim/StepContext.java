package dev.finops.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * When a step runs: its occurrence number (0 for one-off steps; 0, 1, 2... for repeating ones, so a step
 * can name the n-th Job it starts), the instant it was due and how far into the scenario that is.
 */
public record StepContext(String step, int occurrence, Instant due, Duration elapsed) {
}
