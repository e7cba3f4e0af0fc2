package dev.finops.operator.cost;

import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Advances a budget's ledger from its watermark to now, exactly once: every pod costs rate x the overlap of
 * its running interval with [accruedUntil, now), and period boundaries split the interval. Pure.
 */
public final class BudgetLedger {

    private BudgetLedger() {
    }

    /** The ledger at {@code now} and the periods that closed on the way. */
    public record Advance(LedgerState state, List<PeriodTotal> closedPeriods) {
    }

    public static Advance advance(LedgerState state, List<PodCharge> charges, Instant now, PeriodCalendar calendar) {
        List<PeriodTotal> closed = new ArrayList<>();
        LedgerState current = state;
        while (current.window().endsBy(now)) {
            Instant end = current.window().end();
            current = accrue(current, charges, end);
            closed.add(new PeriodTotal(current.window(), current.spentMicros()));
            current = LedgerState.start(calendar.windowAt(end), end);
        }
        return new Advance(accrue(current, charges, now), closed);
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
            gpu += charge.gpuMicroHoursBetween(from, to);
            if (cost != 0) {
                spent += cost;
                if (byWorkload == null) {
                    byWorkload = new HashMap<>(state.workloadMicros());
                }
                byWorkload.merge(charge.workload(), cost, Long::sum);
            }
        }
        return new LedgerState(state.window(), to, spent, gpu,
                byWorkload == null ? state.workloadMicros() : byWorkload);
    }
}
