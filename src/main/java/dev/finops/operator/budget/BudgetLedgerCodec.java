package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.Ledger;
import dev.finops.operator.api.WorkloadCost;
import dev.finops.operator.cost.BudgetWindow;
import dev.finops.operator.cost.LedgerState;
import dev.finops.operator.cost.PeriodCalendar;
import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the exact ledger back from a stored status; the watermark of a new budget is its creation time. */
final class BudgetLedgerCodec {

    private BudgetLedgerCodec() {
    }

    static LedgerState read(ExperimentBudgetStatus status, PeriodCalendar calendar, Instant created) {
        Ledger ledger = status == null ? null : status.getLedger();
        if (ledger == null || ledger.getAccruedUntil() == null || status.getPeriodStart() == null) {
            return LedgerState.start(calendar.windowAt(created), created);
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
        return new LedgerState(window, Instant.parse(ledger.getAccruedUntil()), orZero(ledger.getSpentMicros()),
                orZero(ledger.getGpuMicroHours()), workloads);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
