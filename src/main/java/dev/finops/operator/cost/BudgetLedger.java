package dev.finops.operator.cost;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Advances a budget's ledger from its watermark to now, exactly once: every pod costs rate x the overlap of
 * its running interval with [accruedUntil, now), and period boundaries split the interval. Pure.
 *
 * <p>The stored period is kept to its end: a change of the budget's period or time zone takes effect from the
 * next boundary. A period that the new calendar would have started earlier starts at that boundary instead,
 * and a Total that became periodic ends at the new calendar's next boundary after the watermark.
 *
 * <p>Every sum is overflow-checked: an amount that would not fit in micro-units throws {@link ArithmeticException}
 * rather than wrapping, and the caller keeps the stored ledger.
 */
public final class BudgetLedger {

    private BudgetLedger() {
    }

    /** The ledger at {@code now} and the periods that closed on the way. */
    public record Advance(LedgerState state, List<PeriodTotal> closedPeriods) {
    }

    public static Advance advance(LedgerState state, List<PodCharge> charges, Instant now, PeriodCalendar calendar) {
        List<PeriodTotal> closed = new ArrayList<>();
        LedgerState current = endingTotal(state, calendar);
        while (current.window().endsBy(now)) {
            Instant end = current.window().end();
            current = accrue(current, charges, end);
            closed.add(new PeriodTotal(current.window(), current.spentMicros()));
            current = LedgerState.start(nextWindow(calendar, end), end);
        }
        return new Advance(accrue(current, charges, now), closed);
    }

    /** A stored Total under a periodic calendar ends at the calendar's next boundary after the watermark. */
    private static LedgerState endingTotal(LedgerState state, PeriodCalendar calendar) {
        if (state.window().end() != null || calendar.period() == BudgetPeriod.Total) {
            return state;
        }
        BudgetWindow ending = new BudgetWindow(state.window().start(), calendar.windowAt(state.accruedUntil()).end());
        return new LedgerState(ending, state.accruedUntil(), state.spentMicros(), state.gpuMicroHours(),
                state.workloadMicros());
    }

    /** The calendar's window at a boundary, never starting before it (after a change of period or time zone). */
    static BudgetWindow nextWindow(PeriodCalendar calendar, Instant boundary) {
        BudgetWindow window = calendar.windowAt(boundary);
        return window.start().isBefore(boundary) ? new BudgetWindow(boundary, window.end()) : window;
    }

    private static LedgerState accrue(LedgerState state, List<PodCharge> charges, Instant to) {
        Instant from = state.accruedUntil();
        if (!to.isAfter(from)) {
            return state;
        }
        long spent = state.spentMicros();
        long gpu = state.gpuMicroHours();
        Map<WorkloadKey, Long> byWorkload = null;
        for (PodCharge charge : charges) {
            long cost = charge.costBetween(from, to);
            gpu = Math.addExact(gpu, charge.gpuMicroHoursBetween(from, to));
            if (cost != 0) {
                spent = Math.addExact(spent, cost);
                if (byWorkload == null) {
                    byWorkload = new HashMap<>(state.workloadMicros());
                }
                byWorkload.merge(charge.workload(), cost, Math::addExact);
            }
        }
        return new LedgerState(state.window(), to, spent, gpu,
                byWorkload == null ? state.workloadMicros() : byWorkload);
    }
}
