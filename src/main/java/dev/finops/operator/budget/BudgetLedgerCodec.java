package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.Ledger;
import dev.finops.operator.api.WorkloadCost;
import dev.finops.operator.cost.BudgetWindow;
import dev.finops.operator.cost.LedgerState;
import dev.finops.operator.cost.PeriodCalendar;
import dev.finops.operator.model.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the exact ledger back from a stored status; the watermark of a new budget is its creation time. A ledger
 * that is gone from a budget that has had one (its status cleared by someone with status rights) restarts from
 * the creation too, and is told apart so that the budget says so.
 */
final class BudgetLedgerCodec {

    /** A budget older than this without a ledger has lost it: the operator writes the first one within seconds. */
    static final Duration FIRST_WRITE_GRACE = Duration.ofMinutes(10);

    private BudgetLedgerCodec() {
    }

    /** Where the ledger a pass starts from came from. */
    enum Origin {
        /** The stored ledger. */
        STORED,
        /** A new budget's first ledger, from its creation. */
        NEW,
        /** No ledger where there had been one: started again from the creation. */
        RESTARTED
    }

    record Read(LedgerState state, Origin origin) {
    }

    static Read read(ExperimentBudgetStatus status, PeriodCalendar calendar, Instant created, Instant now) {
        Ledger ledger = status == null ? null : status.getLedger();
        if (ledger == null || ledger.getAccruedUntil() == null || status.getPeriodStart() == null) {
            LedgerState fresh = LedgerState.start(calendar.windowAt(created), created);
            return new Read(fresh, lost(status, created, now) ? Origin.RESTARTED : Origin.NEW);
        }
        BudgetWindow window = new BudgetWindow(Instant.parse(status.getPeriodStart()),
                status.getPeriodEnd() == null ? null : Instant.parse(status.getPeriodEnd()));
        Map<WorkloadKey, Long> workloads = new HashMap<>();
        List<WorkloadCost> stored = status.getWorkloads() == null ? List.of() : status.getWorkloads();
        for (WorkloadCost workload : stored) {
            if (workload.getSpentMicros() != null) {
                workloads.put(new WorkloadKey(workload.getKind(), workload.getName()), workload.getSpentMicros());
            }
        }
        return new Read(new LedgerState(window, Instant.parse(ledger.getAccruedUntil()), orZero(ledger.getSpentMicros()),
                orZero(ledger.getGpuMicroHours()), workloads), Origin.STORED);
    }

    /**
     * The ledger was there once: what the operator writes beside it is still there, or the budget is older than
     * its first write takes (and was not invalid all along, which writes no ledger).
     */
    private static boolean lost(ExperimentBudgetStatus status, Instant created, Instant now) {
        if (status != null && (status.getPeriodStart() != null || status.getSpent() != null
                || status.getLedger() != null || notEmpty(status.getHistory()) || notEmpty(status.getWorkloads()))) {
            return true;
        }
        boolean invalidSoFar = status != null && status.getPhase() == BudgetPhase.Invalid;
        return !invalidSoFar && created.plus(FIRST_WRITE_GRACE).isBefore(now);
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
