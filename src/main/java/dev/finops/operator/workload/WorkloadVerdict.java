package dev.finops.operator.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one answer to "may this owner stop or restore this workload?", whoever asks (a budget, a pool). Pure: from
 * the workload's state, the acting owner and what the owner wants, exactly one {@link Kind}. The owner maps it
 * to its own status entry and carries it out through {@link WorkloadActions}.
 *
 * <p>The owner's own record comes first: what an owner stopped stays its to follow, exempt or not. A person's
 * restore request on a workload the owner still wants stopped is a wake, like a person's scale-up: the
 * workload gets its replicas back and its record says when, so the owner leaves it alone (a pool for a whole
 * idle window, a budget until it resets or is restored) instead of stopping it again in the same pass.
 *
 * @param record the acting owner's record on the workload (AlreadyStoppedByMe, ResumedByPerson, Restore)
 * @param holder the other owner whose record is on it (HeldByAnotherOwner)
 * @param why why it cannot be stopped (CannotStop)
 * @param wake what a person's wake still needs (ResumedByPerson)
 */
public record WorkloadVerdict(Kind kind, RestoreRecord record, String holder, String why, Wake wake) {

    /** Every answer there is. */
    public enum Kind {
        /** Free, running and wanted stopped: stop it and write the owner's record. */
        Stop,
        /** Stopped, with the owner's record: nothing to do, still the owner's. */
        AlreadyStoppedByMe,
        /** Another owner's record is on it (one record per workload): leave it to that owner. */
        HeldByAnotherOwner,
        /** A person started it again (scaled it up, or asked for it back): respected, never fought. */
        ResumedByPerson,
        /** {@code finops.dev/exempt}: no action comes near it. */
        Exempt,
        /** It cannot be stopped at all ({@link WorkloadVerdict#why()}). */
        CannotStop,
        /** Give back what the owner's record says and remove the record. */
        Restore,
        /** Nothing for this owner: gone, stopped by nobody's record, or no record of its own to give back. */
        Leave
    }

    /** What the owner wants of the workload. */
    public enum Intent {
        /** It stays stopped or gets stopped (an enforcing budget, a pool scaling idle work down). */
        Stop,
        /** Whatever the owner stopped comes back (a budget under its limit again, a pool deleted or reporting only). */
        Release
    }

    /** What is still to do about a person's wake. */
    public enum Wake {
        /** Its record already says when it was woken. */
        Recorded,
        /** Running again: write the time into the record. */
        Record,
        /** A restore request on it while stopped: give back the replicas and write the time into the record. */
        GiveBack
    }

    /**
     * The acting owner, as its records name it, and how long it respects a person's wake before the record has
     * done its job and is removed: a pool's idle window; a budget's for good, until it releases (null).
     */
    public record Owner(String name, Duration wakeRespectedFor) {

        public static Owner untilReleased(String name) {
            return new Owner(name, null);
        }

        public static Owner forAWindow(String name, Duration window) {
            return new Owner(name, window);
        }
    }

    /** The verdict for a workload that may be gone ({@code found} empty). */
    public static WorkloadVerdict decide(Optional<WorkloadState> found, Owner owner, Intent intent, Instant now) {
        return found.map(state -> decide(state, owner, intent, now)).orElse(of(Kind.Leave));
    }

    /** The verdict when {@code owner} gives back what it holds: Restore (with its record) or Leave. */
    public static WorkloadVerdict release(Optional<WorkloadState> found, String owner) {
        return decide(found, Owner.untilReleased(owner), Intent.Release, Instant.EPOCH); // no clock in a release
    }

    public static WorkloadVerdict decide(WorkloadState state, Owner owner, Intent intent, Instant now) {
        Optional<RestoreRecord> mine = state.recordOf(owner.name());
        if (mine.isPresent()) {
            return intent == Intent.Release ? mine(Kind.Restore, mine.get(), null) : keepOrWake(state, mine.get(),
                    owner, now);
        }
        if (intent == Intent.Release) {
            return of(Kind.Leave);
        }
        if (state.exempt()) {
            return of(Kind.Exempt);
        }
        if (!state.stoppable()) {
            return new WorkloadVerdict(Kind.CannotStop, null, null, state.cannotStopReason(), null);
        }
        if (state.record().isPresent()) {
            return new WorkloadVerdict(Kind.HeldByAnotherOwner, null, state.record().get().owner(), null, null);
        }
        // stopped by no record: a Job suspended by its person, a workload whose last pods still terminate
        return of(state.stopped() ? Kind.Leave : Kind.Stop);
    }

    /** A workload carrying the owner's record, which the owner wants stopped. */
    private static WorkloadVerdict keepOrWake(WorkloadState state, RestoreRecord mine, Owner owner, Instant now) {
        if (state.restoreRequested()) {
            return mine(Kind.ResumedByPerson, mine, state.stopped() ? Wake.GiveBack : Wake.Record);
        }
        Instant woken = mine.resumedByUserAt();
        if (woken == null) {
            return state.stopped() ? mine(Kind.AlreadyStoppedByMe, mine, null)
                    : mine(Kind.ResumedByPerson, mine, Wake.Record);
        }
        boolean leaseOver = owner.wakeRespectedFor() != null
                && (state.stopped() || !now.isBefore(woken.plus(owner.wakeRespectedFor())));
        // stopped again by whoever woke it, or running for the whole lease: the record has done its job
        return leaseOver ? mine(Kind.Restore, mine, null) : mine(Kind.ResumedByPerson, mine, Wake.Recorded);
    }

    public boolean is(Kind kind) {
        return this.kind == kind;
    }

    private static WorkloadVerdict of(Kind kind) {
        return new WorkloadVerdict(kind, null, null, null, null);
    }

    private static WorkloadVerdict mine(Kind kind, RestoreRecord record, Wake wake) {
        return new WorkloadVerdict(kind, record, null, null, wake);
    }
}
