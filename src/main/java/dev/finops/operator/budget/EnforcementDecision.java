package dev.finops.operator.budget;

import dev.finops.operator.api.Enforcement;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.validation.GoDuration;
import java.time.Instant;

/** What enforcement does this pass. Pure. */
enum EnforcementDecision {
    /** Stop every selected workload (or, in dry run, report that it would). */
    ENFORCE,
    /** Give back what this budget stopped. */
    RESTORE,
    /** Nothing new: inside the grace period, or nothing to do. */
    HOLD;

    /**
     * @param exceededSince when the spend reached the limit (the BudgetExceeded condition's transition time),
     *     null while under the limit
     * @param restoreRequested the budget carries {@code finops.dev/restore: "true"}: a person asked for the
     *     workloads back, and enforcement pauses while the annotation is there
     */
    static EnforcementDecision decide(Enforcement enforcement, Instant exceededSince, Instant now,
            boolean restoreRequested) {
        if (restoreRequested || enforcement == null || enforcement.getAction() != EnforcementAction.Suspend) {
            return RESTORE;
        }
        if (exceededSince == null) {
            return RESTORE;
        }
        return now.isBefore(graceEnds(enforcement, exceededSince)) ? HOLD : ENFORCE;
    }

    /** When the grace period that began as the spend reached the limit ends, and workloads are stopped. */
    static Instant graceEnds(Enforcement enforcement, Instant exceededSince) {
        return exceededSince.plus(GoDuration.parse(enforcement.getGracePeriod()));
    }
}
