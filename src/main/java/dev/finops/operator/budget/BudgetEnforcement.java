package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.Enforcement;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.metrics.ActionMetrics;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.PendingEvents;
import dev.finops.operator.status.Timestamps;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import io.fabric8.kubernetes.api.model.Condition;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Carries out an {@link EnforcementDecision} on a budget's workloads ({@link BudgetStops}, {@link BudgetRestores},
 * the {@link SuspensionWarning} of a grace period) and records the outcome: {@code status.suspended}, the Enforced
 * condition, and an Event, once, for each workload newly listed as exempt, held by another owner or impossible to
 * stop or restore. Only workloads of the budget's own pods, in its own namespace, are ever touched, and only
 * records this budget wrote are restored. Nothing here fails a pass: every workload's failure is its own entry.
 */
@ApplicationScoped
public class BudgetEnforcement {

    static final String DRY_RUN = BudgetStops.DRY_RUN;
    static final String RESUMED_BY_USER = BudgetStops.RESUMED_BY_USER;

    private final BudgetWorkloads candidates;
    private final BudgetStops stops;
    private final BudgetRestores restores;
    private final SuspensionWarning warning;

    public BudgetEnforcement(WorkloadActions workloads, ConditionEvents events, ActionMetrics metrics) {
        BudgetAnnouncements announcements = new BudgetAnnouncements(events, metrics);
        this.candidates = new BudgetWorkloads(workloads);
        this.stops = new BudgetStops(workloads, candidates, announcements);
        this.restores = new BudgetRestores(workloads, announcements);
        this.warning = new SuspensionWarning(workloads, candidates);
    }

    /**
     * The outcome: the workloads to list in status, how many are really stopped by this budget now, what kept a
     * search from finding everything, and the restores that failed.
     */
    record Outcome(List<SuspendedWorkload> suspended, int stopped, List<String> problems,
            List<ActionFailure> failedRestores) {

        Outcome(List<SuspendedWorkload> suspended, int stopped, List<String> problems) {
            this(suspended, stopped, problems, List.of());
        }

        static Outcome held(List<SuspendedWorkload> listed) {
            List<SuspendedWorkload> kept = listed == null ? List.of() : listed;
            return new Outcome(kept, SuspendedEntries.count(kept, SuspendedWorkloadState.Suspended), List.of());
        }
    }

    /**
     * Suspends, holds or restores the budget's workloads, and records the outcome in status; {@code notices} gets
     * the Events to tell once the status write succeeded.
     */
    void apply(ExperimentBudget budget, ExperimentBudgetStatus next, List<GpuPod> pods, Instant now,
            PendingEvents notices) {
        Enforcement spec = budget.getSpec().getEnforcement();
        Instant exceededSince = exceededSince(next);
        boolean restoreRequested = restoreRequested(budget);
        EnforcementDecision decision = EnforcementDecision.decide(spec, exceededSince, now, restoreRequested);
        List<SuspendedWorkload> listed = SuspendedWorkload.carryOver(next.getSuspended());
        Outcome outcome = switch (decision) {
            case ENFORCE -> stops.enforce(budget, pods, listed, spec.getDryRun(), now);
            case RESTORE -> nothingToRestore(budget, next, restoreRequested) ? Outcome.held(null) : restore(budget,
                    next, listed, keepEarlierPeriods(spec, restoreRequested, exceededSince));
            case HOLD -> Outcome.held(listed);
        };
        next.setSuspended(outcome.suspended().isEmpty() ? null : outcome.suspended());
        announceNewlyListed(budget, listed, outcome.suspended(), notices);
        Long generation = budget.getMetadata().getGeneration();
        String problems = outcome.problems().isEmpty() ? "" : " " + String.join("; ", outcome.problems()) + ".";
        if (outcome.stopped() > 0) {
            next.setPhase(BudgetPhase.Enforced);
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, true,
                    BudgetConditions.Reason.Suspended, outcome.stopped() + " workloads are suspended by this budget."
                            + problems, generation, now));
        } else if (decision == EnforcementDecision.HOLD && !Boolean.TRUE.equals(spec.getDryRun())) {
            Instant graceEnds = EnforcementDecision.graceEnds(spec, exceededSince);
            if (!inGraceBefore(budget)) {
                warning.warn(budget, next, pods, graceEnds, now, notices);
            }
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, false,
                    BudgetConditions.Reason.GracePeriod, SuspensionWarning.pending(budget, next, graceEnds),
                    generation, now));
        } else {
            boolean dryRun = outcome.suspended().stream().anyMatch(w -> w.getState() == SuspendedWorkloadState.DryRun);
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, false,
                    dryRun ? BudgetConditions.Reason.DryRun : BudgetConditions.Reason.NotEnforced, (dryRun
                            ? SuspendedEntries.count(outcome.suspended(), SuspendedWorkloadState.DryRun)
                                    + " workloads would be suspended (dry run)."
                            : "No workload is suspended by this budget.") + problems, generation, now));
        }
    }

    /** Whether this pass may suspend workloads: the decision is to enforce, and not as a dry run. */
    boolean maySuspend(ExperimentBudget budget, ExperimentBudgetStatus next, Instant now) {
        Enforcement spec = budget.getSpec().getEnforcement();
        return !Boolean.TRUE.equals(spec.getDryRun()) && EnforcementDecision.decide(spec, exceededSince(next), now,
                restoreRequested(budget)) == EnforcementDecision.ENFORCE;
    }

    private static Instant exceededSince(ExperimentBudgetStatus next) {
        return Conditions.find(next.getConditions(), BudgetConditions.BUDGET_EXCEEDED)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                .flatMap(c -> Timestamps.parse(c.getLastTransitionTime()))
                .orElse(null);
    }

    private static boolean restoreRequested(ExperimentBudget budget) {
        return "true".equals(budget.getMetadata().getAnnotations() == null ? null
                : budget.getMetadata().getAnnotations().get(RestoreRecord.RESTORE));
    }

    /** One enforcing pass over the budget's workloads (what ENFORCE does), without the conditions. */
    Outcome enforce(ExperimentBudget budget, List<GpuPod> pods, List<SuspendedWorkload> listed, boolean dryRun,
            Instant now) {
        return stops.enforce(budget, pods, listed, dryRun, now);
    }

    /**
     * Restores everything this budget stopped, found by the records on the workloads themselves (the status may
     * be behind after a crash): used when the budget is deleted. Returns the restores that failed.
     */
    List<ActionFailure> restoreEverything(ExperimentBudget budget) {
        List<SuspendedWorkload> listed = budget.getStatus() == null ? null : budget.getStatus().getSuspended();
        return restores.restore(budget, candidates.stoppedBy(budget, listed).refs(), false, Instant.MIN, listed)
                .failedRestores();
    }

    private Outcome restore(ExperimentBudget budget, ExperimentBudgetStatus next, List<SuspendedWorkload> listed,
            boolean keepEarlierPeriods) {
        BudgetWorkloads.Found stopped = candidates.stoppedBy(budget, listed);
        Instant periodStart = Timestamps.parse(next.getPeriodStart()).orElse(Instant.MIN);
        Outcome restored = restores.restore(budget, stopped.refs(), keepEarlierPeriods, periodStart, listed);
        return new Outcome(restored.suspended(), restored.stopped(), stopped.problem().stream().toList(),
                restored.failedRestores());
    }

    /** The stored status says the grace period already ran: its warning was told. */
    private static boolean inGraceBefore(ExperimentBudget budget) {
        return budget.getStatus() != null && Conditions.find(budget.getStatus().getConditions(),
                BudgetConditions.ENFORCED).map(Condition::getReason)
                .filter(BudgetConditions.Reason.GracePeriod.name()::equals).isPresent();
    }

    /** An Event on the budget for each workload newly exempt, held by another owner, or impossible to stop or restore. */
    private static void announceNewlyListed(ExperimentBudget budget, List<SuspendedWorkload> before,
            List<SuspendedWorkload> after, PendingEvents notices) {
        Map<WorkloadRef, SuspendedWorkload> listed = SuspendedEntries.byRef(budget.getMetadata().getNamespace(), before);
        for (SuspendedWorkload entry : after) {
            SuspendedWorkload earlier = listed.get(SuspendedEntries.ref(budget.getMetadata().getNamespace(), entry));
            String reason = switch (entry.getState()) {
                case CannotStop -> "CannotStop";
                case CannotRestore -> "CannotRestore";
                case Exempt -> "WorkloadExempt";
                case HeldBy -> "WorkloadHeldByAnother";
                default -> null;
            };
            if (reason != null && (earlier == null || !Objects.equals(earlier.getState(), entry.getState()))) {
                notices.add(budget, entry.getState() == SuspendedWorkloadState.Exempt ? "Normal" : "Warning", reason,
                        entry.getKind() + " " + budget.getMetadata().getNamespace() + "/" + entry.getName() + ": "
                                + entry.getMessage());
            }
        }
    }

    /** restoreOnReset: false keeps workloads stopped in an earlier period, unless a person asked them back. */
    private static boolean keepEarlierPeriods(Enforcement spec, boolean restoreRequested, Instant exceededSince) {
        return !restoreRequested && spec.getAction() == EnforcementAction.Suspend
                && !Boolean.TRUE.equals(spec.getRestoreOnReset()) && exceededSince == null;
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
                || !Objects.equals(stored.getObservedGeneration(), budget.getMetadata().getGeneration());
        boolean newPeriod = stored != null && !Objects.equals(stored.getPeriodStart(), next.getPeriodStart());
        BudgetPhase before = stored == null ? null : stored.getPhase();
        boolean wasOver = before == BudgetPhase.Enforced || before == BudgetPhase.Exceeded;
        return !listed && !specChanged && !newPeriod && !restoreRequested && !wasOver;
    }
}
