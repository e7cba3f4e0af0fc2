package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * What a pool with {@code action: ScaleDown} does about an idle workload it does not follow yet: its
 * {@link WorkloadVerdict}, carried out through the shared {@link WorkloadActions} and told in the action its
 * status entry shows.
 */
@ApplicationScoped
public class IdleScaleDownActions {

    private final WorkloadActions workloads;
    private final IdleScaleDowns scaleDowns;
    private final ConditionEvents events;

    public IdleScaleDownActions(WorkloadActions workloads, IdleScaleDowns scaleDowns, ConditionEvents events) {
        this.workloads = workloads;
        this.scaleDowns = scaleDowns;
        this.events = events;
    }

    /**
     * Scales an idle workload down; returns what was done, or null when there is nothing to list: the workload
     * is gone, stopped already by no one's record (its last pods still terminating), or changed while being
     * stopped (decided again next pass).
     */
    public IdleWorkloadAction scaleDown(GpuPool pool, IdleFindings.Candidate candidate, Instant now) {
        WorkloadRef ref = candidate.ref();
        String window = pool.getSpec().getIdle().getWindow();
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            WorkloadVerdict verdict = WorkloadVerdict.decide(found, IdleScaleDowns.owner(pool, window), Intent.Stop,
                    now);
            return switch (verdict.kind()) {
                case Leave -> null;
                case Exempt -> IdleWorkloadAction.Exempt;
                case CannotStop -> cannotScaleDown(pool, ref, verdict.why(), candidate.actionBefore());
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
        } catch (KubernetesClientException e) {
            return e.getCode() == 409 ? null : cannotScaleDown(pool, ref, e.getMessage(), candidate.actionBefore());
        }
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
    private IdleWorkloadAction cannotScaleDown(GpuPool pool, WorkloadRef ref, String why,
            IdleWorkloadAction actionBefore) {
        if (actionBefore != IdleWorkloadAction.CannotScaleDown) {
            events.publish(pool, "Warning", "IdleScaleDownFailed", "Cannot scale down idle " + ref.describe() + ": "
                    + why);
        }
        return IdleWorkloadAction.CannotScaleDown;
    }
}
