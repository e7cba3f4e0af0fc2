package dev.finops.operator.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the cluster view can be trusted for accrual, across API outages. While the API server (or the etcd
 * behind it) does not answer, kubelets cannot report the pods that end meanwhile either: they report them once
 * it answers again, with their true end times. Counting past the outage's start before those reports are in
 * would charge pods for time they did not run. So from an outage's first failed call until the API server has
 * answered again for {@code hold}, ledgers advance at most to the last answer before it minus the settle delay
 * (where they could stand before it); then they catch up in one step, with the late ends in the view.
 */
public final class ApiOutage {

    private final Duration hold;
    private Instant lastAnswered;
    private Instant since;
    private Instant answeredAgainAt;

    public ApiOutage(Duration hold) {
        this.hold = hold;
    }

    /** A call to the API server failed for want of an answer (connection refused or reset, timeout, 5xx). */
    public synchronized void failed(Instant at) {
        if (since == null) {
            // the outage began after the last answer, perhaps well before this first failed call
            since = lastAnswered != null && lastAnswered.isBefore(at) ? lastAnswered : at;
        }
        answeredAgainAt = null; // a failure while holding continues the same outage
    }

    /** A call to the API server succeeded. */
    public synchronized void answered(Instant at) {
        lastAnswered = at;
        if (since != null && answeredAgainAt == null) {
            answeredAgainAt = at;
        }
    }

    /** Where a ledger may be accrued to at {@code now}: {@code now - settle}, or the hold point of an outage. */
    public synchronized Instant accrueUntil(Instant now, Duration settle) {
        Instant usual = now.minus(settle);
        if (since == null) {
            return usual;
        }
        if (answeredAgainAt != null && !now.isBefore(answeredAgainAt.plus(hold))) {
            since = null;
            answeredAgainAt = null;
            return usual;
        }
        Instant held = since.minus(settle);
        return held.isBefore(usual) ? held : usual;
    }

    /** Whether an outage is on and the API server has not answered since. */
    public synchronized boolean awaitingAnswer() {
        return since != null && answeredAgainAt == null;
    }

    /** The start of the outage ledgers are held for, if one is. */
    public synchronized Optional<Instant> holding() {
        return Optional.ofNullable(since);
    }
}
