package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Kind;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import dev.finops.operator.workload.WorkloadVerdict.Wake;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every combination of a workload's state, the acting owner (a budget, which respects a person's wake until it
 * releases; a pool, for one idle window) and what the owner wants, with the one verdict each gets.
 */
class WorkloadVerdictTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final WorkloadRef DEPLOYMENT = new WorkloadRef("apps/v1", "Deployment", "ml", "notebook");
    private static final WorkloadRef JOB = new WorkloadRef("batch/v1", "Job", "ml", "sweep");
    private static final Owner BUDGET = Owner.untilReleased("cap");
    private static final Owner POOL = Owner.forAWindow("gpupool/training", Duration.ofMinutes(1));
    private static final Instant STOPPED_AT = NOW.minus(Duration.ofHours(1));

    /** One row: a state, who acts, what it wants, and the verdict (with its detail where it has one). */
    record Row(String name, Optional<WorkloadState> state, Owner owner, Intent intent, Kind kind, Wake wake,
            String detail) {

        @Override
        public String toString() {
            return name + " / " + (owner == BUDGET ? "budget" : "pool") + " / " + intent + " -> " + kind
                    + (wake == null ? "" : "(" + wake + ")");
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                // nothing of the owner's on it
                row("gone", Optional.empty(), BUDGET, Intent.Stop, Kind.Leave),
                row("running, free", deployment(2, s -> s), BUDGET, Intent.Stop, Kind.Stop),
                row("running, free", deployment(2, s -> s), POOL, Intent.Stop, Kind.Stop),
                row("Job running, free", job(false, s -> s), BUDGET, Intent.Stop, Kind.Stop),
                row("stopped by no record", deployment(0, s -> s), POOL, Intent.Stop, Kind.Leave),
                row("Job suspended by its person", job(true, s -> s), BUDGET, Intent.Stop, Kind.Leave),
                row("a stale restore request", deployment(2, s -> s.restoreRequested(true)), POOL, Intent.Stop,
                        Kind.Stop),
                row("exempt", deployment(2, s -> s.exempt(true)), BUDGET, Intent.Stop, Kind.Exempt),
                row("exempt, another's record", deployment(0, s -> s.exempt(true).record(theirs())), POOL,
                        Intent.Stop, Kind.Exempt),
                cannotStop(BUDGET, "a bare Pod cannot be suspended without deleting it"),
                cannotStop(POOL, "a bare Pod cannot be suspended without deleting it"),
                held("stopped by another owner", deployment(0, s -> s.record(theirs())), BUDGET),
                held("woken, another owner's record", deployment(1, s -> s.record(theirs().resumedByUser(NOW))),
                        BUDGET),
                held("stopped by another owner", deployment(0, s -> s.record(theirs())), POOL),
                // the owner's own record
                row("stopped by me", deployment(0, s -> s.record(mine(BUDGET))), BUDGET, Intent.Stop,
                        Kind.AlreadyStoppedByMe),
                row("stopped by me", deployment(0, s -> s.record(mine(POOL))), POOL, Intent.Stop,
                        Kind.AlreadyStoppedByMe),
                row("stopped by me, exempt since", deployment(0, s -> s.exempt(true).record(mine(POOL))), POOL,
                        Intent.Stop, Kind.AlreadyStoppedByMe),
                woken("scaled up by a person", deployment(2, s -> s.record(mine(BUDGET))), BUDGET, Wake.Record),
                woken("scaled up by a person", deployment(2, s -> s.record(mine(POOL))), POOL, Wake.Record),
                woken("woken 30 s ago", deployment(2, s -> s.record(mine(POOL).resumedByUser(NOW.minusSeconds(30)))),
                        POOL, Wake.Recorded),
                row("woken a whole window ago", deployment(2, s -> s.record(mine(POOL)
                        .resumedByUser(NOW.minusSeconds(60)))), POOL, Intent.Stop, Kind.Restore),
                woken("woken a day ago", deployment(2, s -> s.record(mine(BUDGET)
                        .resumedByUser(NOW.minus(Duration.ofDays(1))))), BUDGET, Wake.Recorded),
                row("woken, then stopped again by its person", deployment(0, s -> s.record(mine(POOL)
                        .resumedByUser(NOW.minusSeconds(10)))), POOL, Intent.Stop, Kind.Restore),
                woken("woken, then stopped again by its person", deployment(0, s -> s.record(mine(BUDGET)
                        .resumedByUser(NOW.minusSeconds(10)))), BUDGET, Wake.Recorded),
                // a person's finops.dev/restore while the owner still wants it stopped: a wake, never a stop again
                woken("stopped by me, restore requested", deployment(0, s -> s.record(mine(POOL))
                        .restoreRequested(true)), POOL, Wake.GiveBack),
                woken("stopped by me, restore requested", deployment(0, s -> s.record(mine(BUDGET))
                        .restoreRequested(true)), BUDGET, Wake.GiveBack),
                woken("Job suspended by me, restore requested", job(true, s -> s.record(mine(BUDGET))
                        .restoreRequested(true)), BUDGET, Wake.GiveBack),
                woken("running again, restore requested", deployment(2, s -> s.record(mine(POOL))
                        .restoreRequested(true)), POOL, Wake.Record),
                // the owner gives back what it holds
                row("stopped by me", deployment(0, s -> s.record(mine(BUDGET))), BUDGET, Intent.Release,
                        Kind.Restore),
                row("stopped by me", deployment(0, s -> s.record(mine(POOL))), POOL, Intent.Release, Kind.Restore),
                row("woken, record only", deployment(2, s -> s.record(mine(POOL).resumedByUser(NOW))), POOL,
                        Intent.Release, Kind.Restore),
                row("stopped by me, exempt since", deployment(0, s -> s.exempt(true).record(mine(BUDGET))), BUDGET,
                        Intent.Release, Kind.Restore),
                row("stopped by another owner", deployment(0, s -> s.record(theirs())), BUDGET, Intent.Release,
                        Kind.Leave),
                row("running, free", deployment(2, s -> s), POOL, Intent.Release, Kind.Leave),
                row("gone", Optional.empty(), POOL, Intent.Release, Kind.Leave));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(Row row) {
        WorkloadVerdict verdict = WorkloadVerdict.decide(row.state(), row.owner(), row.intent(), NOW);

        assertThat(verdict.kind()).isEqualTo(row.kind());
        assertThat(verdict.wake()).isEqualTo(row.wake());
        switch (row.kind()) {
            case HeldByAnotherOwner -> assertThat(verdict.holder()).isEqualTo(row.detail());
            case CannotStop -> assertThat(verdict.why()).isEqualTo(row.detail());
            case AlreadyStoppedByMe, ResumedByPerson, Restore -> assertThat(verdict.record())
                    .isEqualTo(row.state().orElseThrow().record().orElseThrow());
            default -> assertThat(verdict.record()).isNull();
        }
    }

    @Test
    void aReleaseIsTheReleaseRowsVerdict() {
        table().filter(row -> row.intent() == Intent.Release).forEach(row -> assertThat(
                WorkloadVerdict.release(row.state(), row.owner().name()).kind()).as(row.toString()).isEqualTo(row.kind()));
    }

    @Test
    void everyVerdictAndEveryWakeHasARow() {
        List<Row> rows = table().toList();
        assertThat(rows.stream().map(Row::kind).collect(Collectors.toSet())).containsExactlyInAnyOrder(Kind.values());
        assertThat(rows.stream().map(Row::wake).filter(w -> w != null).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(Wake.values());
        assertThat(rows.stream().map(Row::toString).distinct().count()).as("no row twice: %s",
                Arrays.toString(rows.toArray())).isEqualTo(rows.size());
    }

    private static Row row(String name, Optional<WorkloadState> state, Owner owner, Intent intent, Kind kind) {
        return new Row(name, state, owner, intent, kind, null, null);
    }

    private static Row woken(String name, Optional<WorkloadState> state, Owner owner, Wake wake) {
        return new Row(name, state, owner, Intent.Stop, Kind.ResumedByPerson, wake, null);
    }

    private static Row held(String name, Optional<WorkloadState> state, Owner owner) {
        return new Row(name, state, owner, Intent.Stop, Kind.HeldByAnotherOwner, null, "gpupool/other");
    }

    private static Row cannotStop(Owner owner, String why) {
        return new Row("cannot be stopped", Optional.of(WorkloadState.unreadable(
                new WorkloadRef("v1", "Pod", "ml", "bare"), why)), owner, Intent.Stop, Kind.CannotStop, null, why);
    }

    private static Optional<WorkloadState> deployment(int replicas, UnaryOperator<WorkloadState.Builder> more) {
        return Optional.of(more.apply(WorkloadState.builder(DEPLOYMENT).read("uid-1", "41").scalable(replicas))
                .build());
    }

    private static Optional<WorkloadState> job(boolean suspended, UnaryOperator<WorkloadState.Builder> more) {
        return Optional.of(more.apply(WorkloadState.builder(JOB).read("uid-2", "42").suspendable(suspended)).build());
    }

    private static RestoreRecord mine(Owner owner) {
        return new RestoreRecord(owner.name(), STOPPED_AT, RestoreRecord.Mode.ScaleToZero, 2, null);
    }

    private static RestoreRecord theirs() {
        return new RestoreRecord("gpupool/other", STOPPED_AT, RestoreRecord.Mode.ScaleToZero, 3, null);
    }
}
