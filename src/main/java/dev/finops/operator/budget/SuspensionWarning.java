package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.PendingEvents;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The warning before a stop: when a budget's grace period starts, a Warning Event on the budget and on each
 * workload it will stop, saying when (the grace period's end), why (spent against the limit) and how to avoid it.
 * Told once per grace period (the pass that enters it), after the status write that records it.
 */
final class SuspensionWarning {

    static final String REASON = "SuspensionScheduled";

    private final WorkloadActions workloads;
    private final BudgetWorkloads candidates;

    SuspensionWarning(WorkloadActions workloads, BudgetWorkloads candidates) {
        this.workloads = workloads;
        this.candidates = candidates;
    }

    /** The sentence of the Enforced condition while the grace period runs. */
    static String pending(ExperimentBudget budget, ExperimentBudgetStatus next, Instant graceEnds) {
        return "Spent " + next.getSpent() + " of " + limit(budget) + " (" + next.getPercentUsed()
                + "%): the budget's workloads will be suspended at " + graceEnds + ", when its grace period of "
                + budget.getSpec().getEnforcement().getGracePeriod() + " ends. " + howToAvoid();
    }

    /** Holds the Events for the budget and for every workload the verdict would stop now. */
    void warn(ExperimentBudget budget, ExperimentBudgetStatus next, List<GpuPod> pods, Instant graceEnds,
            Instant now, PendingEvents notices) {
        Owner owner = Owner.untilReleased(budget.getMetadata().getName());
        List<String> named = new ArrayList<>();
        for (WorkloadRef ref : candidates.running(budget, pods)) {
            Optional<WorkloadState> found = read(ref);
            if (found.isPresent() && WorkloadVerdict.decide(found, owner, Intent.Stop, now).is(WorkloadVerdict.Kind.Stop)) {
                named.add(ref.describe());
                notices.add(found.get().eventTarget(), "Warning", REASON, "Budget " + budget.getMetadata().getName()
                        + " spent " + next.getSpent() + " of " + limit(budget) + " (" + next.getPercentUsed()
                        + "%): " + ref.describe() + " will be suspended at " + graceEnds + ". " + howToAvoid());
            }
        }
        if (!named.isEmpty()) {
            notices.add(budget, "Warning", REASON, pending(budget, next, graceEnds) + " To be suspended: "
                    + String.join(", ", named) + ".");
        }
    }

    /** A workload that cannot be read now is not warned about; its stop, if it comes, says what failed. */
    private Optional<WorkloadState> read(WorkloadRef ref) {
        try {
            return workloads.inspect(ref);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String limit(ExperimentBudget budget) {
        return Money.formatCents(Money.parseMicros(budget.getSpec().getLimit())) + " "
                + budget.getSpec().getCurrency();
    }

    private static String howToAvoid() {
        return "To avoid it: raise spec.limit above the spend, label a workload " + RestoreRecord.EXEMPT
                + "=true, or set spec.enforcement.dryRun: true.";
    }
}
