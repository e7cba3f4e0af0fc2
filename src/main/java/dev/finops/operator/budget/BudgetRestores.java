package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.ActionFailure.Operation;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives back what a budget stopped, workload by workload: only what carries this budget's own record. One that
 * cannot be restored now stays listed ({@code CannotRestore}, with what is missing) and is tried again on every
 * later pass; the others are restored meanwhile.
 */
final class BudgetRestores {

    private final WorkloadActions workloads;
    private final BudgetAnnouncements announcements;

    BudgetRestores(WorkloadActions workloads, BudgetAnnouncements announcements) {
        this.workloads = workloads;
        this.announcements = announcements;
    }

    /**
     * Gives back what this budget stopped of {@code refs}; with {@code keepEarlierPeriods}, workloads stopped
     * before {@code periodStart} stay stopped (restoreOnReset: false). Returns what remains listed.
     */
    BudgetEnforcement.Outcome restore(ExperimentBudget budget, List<WorkloadRef> refs, boolean keepEarlierPeriods,
            Instant periodStart, List<SuspendedWorkload> listed) {
        Map<WorkloadRef, SuspendedWorkload> before = SuspendedEntries.byRef(budget.getMetadata().getNamespace(), listed);
        List<SuspendedWorkload> remaining = new ArrayList<>();
        List<ActionFailure> failures = new ArrayList<>();
        for (WorkloadRef ref : refs) {
            one(budget, ref, keepEarlierPeriods, periodStart, before.get(ref), failures).ifPresent(remaining::add);
        }
        return new BudgetEnforcement.Outcome(List.copyOf(remaining),
                SuspendedEntries.count(remaining, SuspendedWorkloadState.Suspended), List.of(), List.copyOf(failures));
    }

    /** One workload: its entry when it stays listed (kept stopped, or not restorable now). */
    private Optional<SuspendedWorkload> one(ExperimentBudget budget, WorkloadRef ref, boolean keepEarlierPeriods,
            Instant periodStart, SuspendedWorkload listedBefore, List<ActionFailure> failures) {
        String owner = budget.getMetadata().getName();
        Optional<WorkloadState> found;
        try {
            found = workloads.inspect(ref);
        } catch (RuntimeException e) {
            return Optional.of(cannotRestore(ref, null, announcements.failed(budget, e, Operation.Read, ref), failures));
        }
        WorkloadVerdict verdict = WorkloadVerdict.release(found, owner);
        if (!verdict.is(WorkloadVerdict.Kind.Restore)) {
            return Optional.empty();
        }
        RestoreRecord record = verdict.record();
        if (keepEarlierPeriods && record.at().isBefore(periodStart)) {
            return Optional.of(SuspendedEntries.entry(ref, record.replicasBefore(), record.at(),
                    SuspendedWorkloadState.Suspended, null));
        }
        try {
            workloads.restore(found.get());
        } catch (RuntimeException e) {
            ActionFailure failure = announcements.failed(budget, e, Operation.Restore, ref);
            if (failure.reason() == ActionFailure.Reason.Conflict) {
                // changed since it was read: tried again next pass, listed as it was so that the pass comes
                return Optional.of(listedBefore != null ? listedBefore : SuspendedEntries.entry(ref,
                        record.replicasBefore(), record.at(), SuspendedWorkloadState.Suspended, null));
            }
            return Optional.of(cannotRestore(ref, record, failure, failures));
        }
        announcements.announce(budget, found.get(), "Normal", "Restored", "Restored " + ref.describe()
                + BudgetAnnouncements.replicas(record) + " (budget " + owner + ")");
        return Optional.empty();
    }

    private static SuspendedWorkload cannotRestore(WorkloadRef ref, RestoreRecord record, ActionFailure failure,
            List<ActionFailure> failures) {
        failures.add(failure);
        return SuspendedEntries.entry(ref, record == null ? null : record.replicasBefore(),
                record == null ? null : record.at(), SuspendedWorkloadState.CannotRestore, failure.message()
                        + "; tried again on every pass");
    }
}
