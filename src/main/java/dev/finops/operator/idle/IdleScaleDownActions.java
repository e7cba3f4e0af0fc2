package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.metrics.ActionMetrics;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.ActionFailure.Operation;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What a pool with {@code action: ScaleDown} does about an idle workload it does not follow yet: its
 * {@link WorkloadVerdict}, carried out through the shared {@link WorkloadActions} and told in the action its
 * status entry shows.
 */
@ApplicationScoped
public class IdleScaleDownActions {

    private static final Logger LOG = Logger.getLogger(IdleScaleDownActions.class);

    private final WorkloadActions workloads;
    private final IdleScaleDowns scaleDowns;
    private final ConditionEvents events;
    private final ActionMetrics metrics;

    public IdleScaleDownActions(WorkloadActions workloads, IdleScaleDowns scaleDowns, ConditionEvents events,
            ActionMetrics metrics) {
        this.workloads = workloads;
        this.scaleDowns = scaleDowns;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Scales an idle workload down; returns what was done, or null when there is nothing to list: the workload
     * is gone, stopped already by no one's record (its last pods still terminating), or changed while being
     * stopped (decided again next pass).
     */
    public IdleWorkloadAction scaleDown(GpuPool pool, IdleFindings.Candidate candidate, Instant now) {
        WorkloadRef ref = candidate.ref();
        String window = pool.getSpec().getIdle().getWindow();
        Optional<WorkloadState> found;
        try {
            found = workloads.inspect(ref);
        } catch (RuntimeException e) {
            return failed(pool, candidate, e, Operation.Read);
        }
        WorkloadVerdict verdict = WorkloadVerdict.decide(found, IdleScaleDowns.owner(pool, window), Intent.Stop, now);
        try {
            return switch (verdict.kind()) {
                case Leave -> null;
                case Exempt -> IdleWorkloadAction.Exempt;
                case CannotStop -> cannotScaleDown(pool, candidate, verdict.why());
                case HeldByAnotherOwner -> IdleWorkloadAction.Skipped;
                case AlreadyStoppedByMe -> followed(pool, candidate, IdleWorkloadAction.ScaledDown);
                case ResumedByPerson -> {
                    scaleDowns.resume(pool, found.get(), verdict, window, now);
                    yield followed(pool, candidate, IdleWorkloadAction.WokenByUser);
                }
                case Restore -> {
                    workloads.restore(found.get()); // a wake a whole window old: judged afresh next pass
                    yield null;
                }
                case Stop -> stop(pool, candidate, found.get(), now);
            };
        } catch (RuntimeException e) {
            return failed(pool, candidate, e, switch (verdict.kind()) {
                case ResumedByPerson -> Operation.Mark;
                case Restore -> Operation.Restore;
                default -> Operation.Stop;
            });
        }
    }

    /** An action that failed: this workload's outcome (null: changed meanwhile, decided again next pass). */
    private IdleWorkloadAction failed(GpuPool pool, IdleFindings.Candidate candidate, RuntimeException error,
            Operation operation) {
        ActionFailure failure = ActionFailure.of(error, operation, candidate.ref());
        metrics.failed("pool", candidate.ref().kind(), failure.reason().name());
        LOG.warnf("Pool %s: %s", pool.getMetadata().getName(), failure.message());
        return failure.reason() == ActionFailure.Reason.Conflict ? null
                : cannotScaleDown(pool, candidate, failure.message());
    }

    private IdleWorkloadAction stop(GpuPool pool, IdleFindings.Candidate candidate, WorkloadState state,
            Instant now) {
        RestoreRecord record = workloads.stop(state, IdleScaleDowns.owner(pool), now);
        candidate.entry().setScaledDownAt(record.at().toString());
        IdleReport.Finding finding = candidate.finding();
        String message = candidate.ref().describe() + " held " + IdleFindings.gpusText(finding.gpus())
                + " idle GPUs (" + Money.formatCents(finding.costMicrosPerHour()) + "/h) for "
                + pool.getSpec().getIdle().getWindow() + "; scaled down. Annotate it " + RestoreRecord.RESTORE
                + "=true to bring it back.";
        events.publish(pool, "Warning", "IdleScaledDown", message);
        events.publish(state.eventTarget(), "Warning", "IdleScaledDown", message);
        return followed(pool, candidate, IdleWorkloadAction.ScaledDown);
    }

    /** Carries the pool's record: remembered, so a status write refused by a conflict forgets none. */
    private IdleWorkloadAction followed(GpuPool pool, IdleFindings.Candidate candidate, IdleWorkloadAction action) {
        candidate.entry().setAction(action);
        scaleDowns.scaledDown(pool, candidate.ref(), candidate.entry());
        return action;
    }

    /** A Warning when a workload first turns out impossible to scale down, not on every pass after. */
    private IdleWorkloadAction cannotScaleDown(GpuPool pool, IdleFindings.Candidate candidate, String why) {
        if (candidate.actionBefore() != IdleWorkloadAction.CannotScaleDown) {
            events.publish(pool, "Warning", "IdleScaleDownFailed", "Cannot scale down idle "
                    + candidate.ref().describe() + ": " + why);
        }
        candidate.entry().setMessage(why);
        return IdleWorkloadAction.CannotScaleDown;
    }
}
