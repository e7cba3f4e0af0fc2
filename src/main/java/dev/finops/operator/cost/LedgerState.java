package dev.finops.operator.cost;

import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;
import java.util.Map;

/**
 * A budget's exact ledger: what the current period spent (micro-units) and used (micro-GPU-hours), per
 * workload too, counted up to {@code accruedUntil} and never again.
 */
public record LedgerState(BudgetWindow window, Instant accruedUntil, long spentMicros, long gpuMicroHours,
        Map<WorkloadKey, Long> workloadMicros) {

    public LedgerState {
        workloadMicros = Map.copyOf(workloadMicros);
    }

    public static LedgerState start(BudgetWindow window, Instant from) {
        return new LedgerState(window, from, 0, 0, Map.of());
    }
}
