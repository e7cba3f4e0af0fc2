package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.WorkloadCost;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.status.Timestamps;
import java.time.Duration;
import java.time.Instant;

/**
 * When a pass writes a budget's status: when anything people read changed (spent in cents, percent,
 * forecast, conditions, ...), or when only the exact ledger moved and its stored watermark is older than
 * {@code maxLag}. Skipping a write loses nothing: the next pass accrues again from the stored watermark, and
 * the anchored accrual makes the result identical.
 */
final class BudgetWritePolicy {

    private BudgetWritePolicy() {
    }

    static boolean shouldWrite(ExperimentBudgetStatus stored, ExperimentBudgetStatus next, Instant now,
            Duration maxLag) {
        if (stored == null) {
            return true;
        }
        if (Statuses.differs(displayed(stored), displayed(next))) {
            return true;
        }
        if (!Statuses.differs(stored.getLedger(), next.getLedger())) {
            return false;
        }
        String watermark = stored.getLedger() == null ? null : stored.getLedger().getAccruedUntil();
        return Timestamps.parse(watermark).map(at -> !at.plus(maxLag).isAfter(now)).orElse(true);
    }

    private static ExperimentBudgetStatus displayed(ExperimentBudgetStatus status) {
        ExperimentBudgetStatus copy = Statuses.copyOf(status, ExperimentBudgetStatus.class, ExperimentBudgetStatus::new);
        copy.setLedger(null);
        if (copy.getWorkloads() != null) {
            for (WorkloadCost workload : copy.getWorkloads()) {
                workload.setSpentMicros(null);
            }
        }
        return copy;
    }
}
