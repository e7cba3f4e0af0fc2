package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.cost.BudgetWindow;
import dev.finops.operator.cost.PeriodCalendar;
import dev.finops.operator.status.Timestamps;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stored status whose times do not parse (anyone with status rights can write it) is repaired before the pass
 * reads it, never a reason to stall: a period bound is taken again from the watermark's period; a watermark that
 * does not parse leaves no exact ledger to continue from, so it restarts from the budget's creation, as a cleared
 * status does; other times are dropped (a condition's transition becomes now). Pure; returns what it repaired.
 */
final class BudgetStatusRepair {

    private BudgetStatusRepair() {
    }

    static List<String> repair(ExperimentBudgetStatus status, ExperimentBudgetSpec spec, Instant created) {
        List<String> repaired = new ArrayList<>();
        if (status == null) {
            return repaired;
        }
        if (status.getLedger() != null && Timestamps.garbage(status.getLedger().getAccruedUntil())) {
            repaired.add("status.ledger.accruedUntil (" + status.getLedger().getAccruedUntil()
                    + "): the ledger restarts from the budget's creation");
            status.setLedger(null);
        }
        if (Timestamps.garbage(status.getPeriodStart()) || Timestamps.garbage(status.getPeriodEnd())) {
            repaired.add("status.periodStart/periodEnd (" + status.getPeriodStart() + ", " + status.getPeriodEnd()
                    + "): taken again from the watermark's period");
            Optional<BudgetWindow> window = Optional.ofNullable(status.getLedger())
                    .flatMap(ledger -> Timestamps.parse(ledger.getAccruedUntil()))
                    .map(watermark -> new PeriodCalendar(spec.getPeriod(), ZoneId.of(spec.getTimeZone()), created)
                            .windowAt(watermark));
            status.setPeriodStart(window.map(w -> w.start().toString()).orElse(null));
            status.setPeriodEnd(window.map(w -> w.end() == null ? null : w.end().toString()).orElse(null));
        }
        for (SuspendedWorkload entry : status.getSuspended() == null ? List.<SuspendedWorkload>of()
                : status.getSuspended()) {
            if (Timestamps.garbage(entry.getSince())) {
                repaired.add("status.suspended[" + entry.getName() + "].since (" + entry.getSince() + ")");
                entry.setSince(null);
            }
        }
        repaired.addAll(Timestamps.clearGarbage(status.getConditions()));
        return repaired;
    }
}
