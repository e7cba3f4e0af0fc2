package dev.finops.operator.cost;

import java.time.Instant;

/** One budget period: [start, end), end null for a Total budget that never resets. */
public record BudgetWindow(Instant start, Instant end) {

    public boolean endsBy(Instant instant) {
        return end != null && !end.isAfter(instant);
    }
}
