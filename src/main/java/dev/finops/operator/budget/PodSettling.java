package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.model.GpuPod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;

/**
 * When a finished pod's whole cost is in the ledger. Cost is counted up to now minus the settle delay, so a pod
 * that ended at {@code end} is whole once the watermark reaches {@code end}: the pass that gets there writes its
 * status (the pod's last cents are visible at once, not at the next ledger refresh), and a budget with a pod still
 * settling reconciles again right when it settles instead of at the next pass.
 *
 * @param settledThisPass a pod's end lies between the stored watermark and this pass's
 * @param nextSettle how long until the next selected pod's end is past the settle delay, if one is pending
 */
record PodSettling(boolean settledThisPass, Optional<Duration> nextSettle) {

    /** Reconciled this long after the moment a pod settles, so the watermark is surely past its end. */
    static final Duration MARGIN = Duration.ofMillis(50);

    static PodSettling of(Collection<GpuPod> pods, ExperimentBudgetStatus stored, ExperimentBudgetStatus next,
            Instant now, Duration settleDelay) {
        Instant before = watermark(stored);
        Instant after = watermark(next);
        boolean settled = false;
        Instant soonest = null;
        for (GpuPod pod : pods) {
            Instant end = pod.end();
            if (end == null) {
                continue;
            }
            if (after != null && !end.isAfter(after) && (before == null || end.isAfter(before))) {
                settled = true;
            }
            Instant settlesAt = end.plus(settleDelay);
            if (settlesAt.isAfter(now) && (soonest == null || settlesAt.isBefore(soonest))) {
                soonest = settlesAt;
            }
        }
        return new PodSettling(settled, Optional.ofNullable(soonest).map(at -> Duration.between(now, at).plus(MARGIN)));
    }

    private static Instant watermark(ExperimentBudgetStatus status) {
        String accruedUntil = status == null || status.getLedger() == null ? null : status.getLedger().getAccruedUntil();
        try {
            return accruedUntil == null ? null : Instant.parse(accruedUntil);
        } catch (DateTimeParseException e) {
            return null; // a watermark that does not parse is the ledger's problem to report, not a reason to stall
        }
    }
}
