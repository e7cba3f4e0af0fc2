package dev.finops.operator.workload;

import java.util.Optional;

/**
 * A workload as the enforcement sees it: whether it can be stopped and how, whether it is stopped now, whether
 * it is exempt, and the restore record the operator left on it, if any.
 */
public record WorkloadState(WorkloadRef ref, RestoreRecord.Mode mode, boolean stopped, Integer replicas,
        boolean exempt, Optional<RestoreRecord> record, String cannotStopReason, boolean restoreRequested) {

    public boolean stoppable() {
        return cannotStopReason == null;
    }
}
