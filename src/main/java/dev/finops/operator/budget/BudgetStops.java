package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.ActionFailure.Operation;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An enforcing budget's pass over its workloads: the {@link WorkloadVerdict} of each, carried out through the
 * shared {@link WorkloadActions}, as {@code status.suspended} entries. Every workload's outcome is its own: one
 * that cannot be read or stopped is listed {@code CannotStop} with what is missing, and the others are still
 * stopped.
 */
final class BudgetStops {

    static final String DRY_RUN = "would be suspended";
    static final String RESUMED_BY_USER = "started again by a person; left alone until the budget resets or is "
            + "restored";
    static final String EXEMPT = RestoreRecord.EXEMPT + " is set on it (label or annotation), so no action comes "
            + "near it";

    private final WorkloadActions workloads;
    private final BudgetWorkloads candidates;
    private final BudgetAnnouncements announcements;

    BudgetStops(WorkloadActions workloads, BudgetWorkloads candidates, BudgetAnnouncements announcements) {
        this.workloads = workloads;
        this.candidates = candidates;
        this.announcements = announcements;
    }

    BudgetEnforcement.Outcome enforce(ExperimentBudget budget, List<GpuPod> pods, List<SuspendedWorkload> listed,
            boolean dryRun, Instant now) {
        Owner owner = Owner.untilReleased(budget.getMetadata().getName());
        String namespace = budget.getMetadata().getNamespace();
        Map<WorkloadRef, SuspendedWorkload> before = SuspendedEntries.byRef(namespace, listed);
        List<WorkloadRef> refs = new ArrayList<>(candidates.running(budget, pods));
        // a dry run never stops anything, so there are no records to search for on every pass
        BudgetWorkloads.Found stopped = dryRun ? new BudgetWorkloads.Found(SuspendedEntries.refs(namespace, listed),
                Optional.empty()) : candidates.stoppedBy(budget, listed);
        stopped.refs().stream().filter(ref -> !refs.contains(ref)).forEach(refs::add);
        Map<WorkloadRef, SuspendedWorkload> result = new LinkedHashMap<>();
        for (WorkloadRef ref : refs) {
            one(budget, ref, owner, dryRun, before.get(ref), now).ifPresent(entry -> result.put(ref, entry));
        }
        List<SuspendedWorkload> entries = List.copyOf(result.values());
        return new BudgetEnforcement.Outcome(entries, SuspendedEntries.count(entries, SuspendedWorkloadState.Suspended),
                stopped.problem().stream().toList());
    }

    /** One workload's outcome: read, judged, acted on; any failure is this workload's entry, never the pass's. */
    private Optional<SuspendedWorkload> one(ExperimentBudget budget, WorkloadRef ref, Owner owner, boolean dryRun,
            SuspendedWorkload listedBefore, Instant now) {
        Optional<WorkloadState> found;
        try {
            found = workloads.inspect(ref);
        } catch (RuntimeException e) {
            return Optional.of(cannotStop(ref, announcements.failed(budget, e, Operation.Read, ref)));
        }
        WorkloadVerdict verdict = WorkloadVerdict.decide(found, owner, Intent.Stop, now);
        try {
            return carryOut(budget, verdict, found, dryRun, now);
        } catch (RuntimeException e) {
            ActionFailure failure = announcements.failed(budget, e, operation(verdict), ref);
            if (failure.reason() == ActionFailure.Reason.Conflict) {
                // changed since it was read (another writer): decided again next pass, as it was listed until now
                return Optional.ofNullable(listedBefore);
            }
            return Optional.of(cannotStop(ref, failure));
        }
    }

    /** Does what the verdict says of one workload; returns its entry in status, if it is listed. */
    private Optional<SuspendedWorkload> carryOut(ExperimentBudget budget, WorkloadVerdict verdict,
            Optional<WorkloadState> found, boolean dryRun, Instant now) {
        RestoreRecord record = verdict.record();
        return switch (verdict.kind()) {
            case Leave, Restore -> Optional.empty();
            case Exempt -> entry(found.get().ref(), null, null, SuspendedWorkloadState.Exempt, EXEMPT);
            case CannotStop -> entry(found.get().ref(), null, null, SuspendedWorkloadState.CannotStop, verdict.why());
            case HeldByAnotherOwner -> entry(found.get().ref(), null, null, SuspendedWorkloadState.HeldBy,
                    "stopped or watched by " + verdict.holder() + " (its restore record is on the workload)");
            case AlreadyStoppedByMe -> entry(found.get().ref(), record.replicasBefore(), record.at(),
                    SuspendedWorkloadState.Suspended, null);
            case ResumedByPerson -> {
                resume(budget, found.get(), verdict, now);
                yield entry(found.get().ref(), record.replicasBefore(), record.at(),
                        SuspendedWorkloadState.ResumedByUser, RESUMED_BY_USER);
            }
            case Stop -> dryRun
                    ? entry(found.get().ref(), found.get().replicas(), now, SuspendedWorkloadState.DryRun, DRY_RUN)
                    : stop(budget, found.get(), now);
        };
    }

    private static Operation operation(WorkloadVerdict verdict) {
        if (verdict.is(WorkloadVerdict.Kind.ResumedByPerson)) {
            return verdict.wake() == WorkloadVerdict.Wake.GiveBack ? Operation.Wake : Operation.Mark;
        }
        return Operation.Stop;
    }

    /** A person's wake: recorded on the workload (given back first, when they asked for it back). */
    private void resume(ExperimentBudget budget, WorkloadState state, WorkloadVerdict verdict, Instant now) {
        String ref = state.ref().describe();
        switch (verdict.wake()) {
            case Recorded -> { }
            case Record -> {
                workloads.markResumedByUser(state, now);
                announcements.announce(budget, state, "Warning", "ResumedByUser", ref
                        + " was started again by a person after the budget suspended it; it is left alone.");
            }
            case GiveBack -> {
                workloads.wake(state, now);
                announcements.announce(budget, state, "Normal", "Restored", "Restored " + ref
                        + BudgetAnnouncements.replicas(verdict.record()) + " at a person's request ("
                        + RestoreRecord.RESTORE + "); it is left alone until the budget resets or is restored.");
            }
        }
    }

    private Optional<SuspendedWorkload> stop(ExperimentBudget budget, WorkloadState state, Instant now) {
        RestoreRecord written = workloads.stop(state, budget.getMetadata().getName(), now);
        announcements.announce(budget, state, "Warning", "Suspended", "Suspended " + state.ref().describe()
                + " (budget " + budget.getMetadata().getName() + " spent its limit)"
                + (written.replicasBefore() == null ? "" : "; it had " + written.replicasBefore() + " replicas"));
        return entry(state.ref(), written.replicasBefore(), now, SuspendedWorkloadState.Suspended, null);
    }

    private static SuspendedWorkload cannotStop(WorkloadRef ref, ActionFailure failure) {
        return SuspendedEntries.entry(ref, null, null, SuspendedWorkloadState.CannotStop, failure.message());
    }

    private static Optional<SuspendedWorkload> entry(WorkloadRef ref, Integer replicasBefore, Instant since,
            SuspendedWorkloadState state, String message) {
        return Optional.of(SuspendedEntries.entry(ref, replicasBefore, since, state, message));
    }
}
