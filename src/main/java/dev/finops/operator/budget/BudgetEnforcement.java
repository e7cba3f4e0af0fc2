package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.Enforcement;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import dev.finops.operator.workload.WorkloadVerdict;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out an {@link EnforcementDecision} on a budget's workloads: the {@link WorkloadVerdict} of each, through
 * the shared {@link WorkloadActions}, and reports every workload it stopped (or, in dry run, would stop, or could
 * not) as {@code status.suspended}. Only workloads of the budget's own pods, in its own namespace, are ever
 * touched, and only records this budget wrote are restored.
 */
@ApplicationScoped
public class BudgetEnforcement {

    static final String DRY_RUN = "would be suspended";
    static final String RESUMED_BY_USER = "started again by a person; left alone until the budget resets or is "
            + "restored";

    private final WorkloadActions workloads;
    private final ConditionEvents events;

    public BudgetEnforcement(WorkloadActions workloads, ConditionEvents events) {
        this.workloads = workloads;
        this.events = events;
    }

    /** Suspends, holds or restores the budget's workloads, and records the outcome in status. */
    void apply(ExperimentBudget budget, ExperimentBudgetStatus next, List<GpuPod> pods, Instant now) {
        Enforcement spec = budget.getSpec().getEnforcement();
        Instant exceededSince = Conditions.find(next.getConditions(), BudgetConditions.BUDGET_EXCEEDED)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                .map(c -> Instant.parse(c.getLastTransitionTime()))
                .orElse(null);
        boolean restoreRequested = "true".equals(budget.getMetadata().getAnnotations() == null ? null
                : budget.getMetadata().getAnnotations().get(RestoreRecord.RESTORE));
        EnforcementDecision decision = EnforcementDecision.decide(spec, exceededSince, now, restoreRequested);
        SuspendedWorkload.carryOver(next.getSuspended());
        Outcome outcome = switch (decision) {
            case ENFORCE -> enforce(budget, pods, next.getSuspended(), spec.getDryRun(), now);
            case RESTORE -> nothingToRestore(budget, next, restoreRequested)
                    ? new Outcome(List.of(), 0)
                    : restoreRefs(budget, stoppedByThisBudget(budget, next.getSuspended()),
                            keepEarlierPeriods(spec, restoreRequested, exceededSince),
                            Instant.parse(next.getPeriodStart()));
            case HOLD -> new Outcome(next.getSuspended() == null ? List.of() : next.getSuspended(),
                    (int) (next.getSuspended() == null ? 0 : next.getSuspended().stream()
                            .filter(w -> w.getState() == SuspendedWorkloadState.Suspended).count()));
        };
        next.setSuspended(outcome.suspended().isEmpty() ? null : outcome.suspended());
        Long generation = budget.getMetadata().getGeneration();
        if (outcome.stopped() > 0) {
            next.setPhase(BudgetPhase.Enforced);
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, true, BudgetConditions.Reason.Suspended,
                    outcome.stopped() + " workloads are suspended by this budget.", generation, now));
        } else {
            boolean dryRun = outcome.suspended().stream().anyMatch(w -> w.getState() == SuspendedWorkloadState.DryRun);
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, false,
                    dryRun ? BudgetConditions.Reason.DryRun : BudgetConditions.Reason.NotEnforced, dryRun ? outcome.suspended().size()
                            + " workloads would be suspended (dry run)." : "No workload is suspended by this budget.",
                    generation, now));
        }
    }

    /** restoreOnReset: false keeps workloads stopped in an earlier period, unless a person asked them back. */
    private static boolean keepEarlierPeriods(Enforcement spec, boolean restoreRequested, Instant exceededSince) {
        return !restoreRequested && spec.getAction() == EnforcementAction.Suspend
                && !Boolean.TRUE.equals(spec.getRestoreOnReset()) && exceededSince == null;
    }

    /** The outcome: the workloads to list in status, and how many are really stopped by this budget now. */
    record Outcome(List<SuspendedWorkload> suspended, int stopped) {
    }

    Outcome enforce(ExperimentBudget budget, List<GpuPod> pods, List<SuspendedWorkload> listed, boolean dryRun,
            Instant now) {
        Owner owner = Owner.untilReleased(budget.getMetadata().getName());
        Map<WorkloadRef, SuspendedWorkload> result = new LinkedHashMap<>();
        for (WorkloadRef ref : candidates(budget, pods, listed, dryRun)) {
            Optional<WorkloadState> found = workloads.inspect(ref);
            WorkloadVerdict verdict = WorkloadVerdict.decide(found, owner, Intent.Stop, now);
            carryOut(budget, verdict, found, dryRun, now).ifPresent(entry -> result.put(ref, entry));
        }
        List<SuspendedWorkload> entries = List.copyOf(result.values());
        return new Outcome(entries, (int) entries.stream()
                .filter(entry -> entry.getState() == SuspendedWorkloadState.Suspended).count());
    }

    /** Does what the verdict says of one workload; returns its entry in status, if it is listed. */
    private Optional<SuspendedWorkload> carryOut(ExperimentBudget budget, WorkloadVerdict verdict,
            Optional<WorkloadState> found, boolean dryRun, Instant now) {
        RestoreRecord record = verdict.record();
        return switch (verdict.kind()) {
            case Leave, Exempt, Restore -> Optional.empty();
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

    /** A person's wake: recorded on the workload (given back first, when they asked for it back). */
    private void resume(ExperimentBudget budget, WorkloadState state, WorkloadVerdict verdict, Instant now) {
        String ref = state.ref().describe();
        switch (verdict.wake()) {
            case Recorded -> { }
            case Record -> {
                workloads.markResumedByUser(state, now);
                announce(budget, state, "Warning", "ResumedByUser", ref
                        + " was started again by a person after the budget suspended it; it is left alone.");
            }
            case GiveBack -> {
                workloads.wake(state, now);
                announce(budget, state, "Normal", "Restored", "Restored " + ref + replicas(verdict.record())
                        + " at a person's request (" + RestoreRecord.RESTORE + "); it is left alone until the budget "
                        + "resets or is restored.");
            }
        }
    }

    private Optional<SuspendedWorkload> stop(ExperimentBudget budget, WorkloadState state, Instant now) {
        RestoreRecord written;
        try {
            written = workloads.stop(state, budget.getMetadata().getName(), now);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return Optional.empty(); // changed since it was read (another writer): decided again next pass
        }
        announce(budget, state, "Warning", "Suspended", "Suspended " + state.ref().describe() + " (budget "
                + budget.getMetadata().getName() + " spent its limit)" + (written.replicasBefore() == null ? ""
                        : "; it had " + written.replicasBefore() + " replicas"));
        return entry(state.ref(), written.replicasBefore(), now, SuspendedWorkloadState.Suspended, null);
    }

    /**
     * Restores everything this budget stopped, found by the records on the workloads themselves (the status may
     * be behind after a crash): used when the budget is deleted.
     */
    void restoreEverything(ExperimentBudget budget) {
        restoreRefs(budget, stoppedByThisBudget(budget, budget.getStatus() == null ? null
                : budget.getStatus().getSuspended()), false, Instant.MIN);
    }

    /**
     * Gives back what this budget stopped; with {@code keepEarlierPeriods}, workloads stopped before
     * {@code periodStart} stay stopped (restoreOnReset: false). Returns what remains stopped.
     */
    private Outcome restoreRefs(ExperimentBudget budget, List<WorkloadRef> refs, boolean keepEarlierPeriods,
            Instant periodStart) {
        String owner = budget.getMetadata().getName();
        List<SuspendedWorkload> remaining = new ArrayList<>();
        for (WorkloadRef ref : refs) {
            Optional<WorkloadState> found = workloads.inspect(ref);
            WorkloadVerdict verdict = WorkloadVerdict.release(found, owner);
            if (!verdict.is(WorkloadVerdict.Kind.Restore)) {
                continue;
            }
            RestoreRecord record = verdict.record();
            if (keepEarlierPeriods && record.at().isBefore(periodStart)) {
                entry(ref, record.replicasBefore(), record.at(), SuspendedWorkloadState.Suspended, null)
                        .ifPresent(remaining::add);
                continue;
            }
            workloads.restore(found.get());
            announce(budget, found.get(), "Normal", "Restored", "Restored " + ref.describe() + replicas(record)
                    + " (budget " + owner + ")");
        }
        return new Outcome(List.copyOf(remaining), remaining.size());
    }

    /** The workloads of the budget's pods that still run or wait to run, their CronJobs, and those listed. */
    private List<WorkloadRef> candidates(ExperimentBudget budget, List<GpuPod> pods, List<SuspendedWorkload> listed,
            boolean dryRun) {
        List<WorkloadRef> refs = new ArrayList<>();
        for (GpuPod pod : pods) {
            if (pod.end() != null) {
                continue;
            }
            WorkloadRef ref = workloads.workloadOf(pod); // its verified owner, never its claim
            if (!refs.contains(ref)) {
                refs.add(ref);
                workloads.cronJobOf(ref).filter(cron -> !refs.contains(cron)).ifPresent(refs::add);
            }
        }
        // a dry run never stops anything, so there are no records to search for on every pass
        (dryRun ? listedRefs(budget, listed) : stoppedByThisBudget(budget, listed)).stream()
                .filter(ref -> !refs.contains(ref)).forEach(refs::add);
        return refs;
    }

    /**
     * What this budget stopped: the workloads its status lists and those carrying its record (after a crash
     * between a stop and the status write, the record on the workload is the only trace).
     */
    private List<WorkloadRef> stoppedByThisBudget(ExperimentBudget budget, List<SuspendedWorkload> listed) {
        List<WorkloadRef> refs = new ArrayList<>(listedRefs(budget, listed));
        workloads.recordedBy(budget.getMetadata().getNamespace(), budget.getMetadata().getName()).stream()
                .filter(ref -> !refs.contains(ref)).forEach(refs::add);
        return refs;
    }

    /**
     * Restoring needs the API only when this budget may have stopped something that should now come back: its
     * status lists workloads, or a restore trigger just happened (the spec changed: a raised limit or another
     * action; a new period; a restore request). Spend never falls within a period, so no other pass can turn an
     * enforcing budget into a restoring one. The records on the workloads are then searched too, because a
     * stop whose status write was lost (a conflict, a crash) left its only trace there.
     */
    private static boolean nothingToRestore(ExperimentBudget budget, ExperimentBudgetStatus next,
            boolean restoreRequested) {
        ExperimentBudgetStatus stored = budget.getStatus();
        boolean listed = next.getSuspended() != null && !next.getSuspended().isEmpty();
        boolean specChanged = stored == null
                || !java.util.Objects.equals(stored.getObservedGeneration(), budget.getMetadata().getGeneration());
        boolean newPeriod = stored != null && !java.util.Objects.equals(stored.getPeriodStart(), next.getPeriodStart());
        BudgetPhase before = stored == null ? null : stored.getPhase();
        boolean wasOver = before == BudgetPhase.Enforced || before == BudgetPhase.Exceeded;
        return !listed && !specChanged && !newPeriod && !restoreRequested && !wasOver;
    }

    private static List<WorkloadRef> listedRefs(ExperimentBudget budget, List<SuspendedWorkload> listed) {
        List<WorkloadRef> refs = new ArrayList<>();
        for (SuspendedWorkload workload : listed == null ? List.<SuspendedWorkload>of() : listed) {
            refs.add(new WorkloadRef(workload.getApiVersion(), workload.getKind(),
                    budget.getMetadata().getNamespace(), workload.getName()));
        }
        return refs;
    }

    /** An Event on the budget and one on the workload, where people look for each. */
    private void announce(ExperimentBudget budget, WorkloadState workload, String type, String reason,
            String message) {
        events.publish(budget, type, reason, message);
        events.publish(workload.eventTarget(), type, reason, message);
    }

    private static String replicas(RestoreRecord record) {
        return record.replicasBefore() == null ? "" : " to " + record.replicasBefore() + " replicas";
    }

    private static Optional<SuspendedWorkload> entry(WorkloadRef ref, Integer replicasBefore, Instant since,
            SuspendedWorkloadState state, String message) {
        SuspendedWorkload entry = new SuspendedWorkload();
        entry.setApiVersion(ref.apiVersion());
        entry.setKind(ref.kind());
        entry.setName(ref.name());
        entry.setReplicasBefore(replicasBefore);
        entry.setSince(since == null ? null : since.toString());
        entry.setState(state);
        entry.setMessage(message);
        return Optional.of(entry);
    }
}
