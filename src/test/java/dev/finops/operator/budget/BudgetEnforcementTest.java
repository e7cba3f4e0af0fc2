package dev.finops.operator.budget;

import dev.finops.operator.metrics.ActionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.RecordingEvents;
import dev.finops.operator.workload.FakeWorkloads;
import dev.finops.operator.workload.RestoreRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** An enforcing budget's verdicts as {@code status.suspended} entries, on in-memory workloads. */
class BudgetEnforcementTest {

    private static final ActionMetrics ACTION_METRICS = new ActionMetrics(new SimpleMeterRegistry());

    private static final String NS = "team";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final FakeWorkloads workloads = new FakeWorkloads();
    private final RecordingEvents events = new RecordingEvents();
    private final BudgetEnforcement enforcement = new BudgetEnforcement(workloads, events, ACTION_METRICS);

    @Test
    void freeWorkloadsAreSuspendedHeldAndExemptOnesAreNot() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);
        WorkloadRef notebook = workloads.deployment(NS, "notebook", 0);
        workloads.stop(workloads.inspect(workloads.deployment(NS, "notebook", 1)).orElseThrow(), "gpupool/idle", NOW);
        WorkloadRef exempt = workloads.deployment(NS, "protected", 1);
        workloads.annotate(exempt, RestoreRecord.EXEMPT, "true");

        BudgetEnforcement.Outcome outcome = enforcement.enforce(budget(), pods("trainer", "notebook", "protected"),
                null, false, NOW);

        assertThat(outcome.stopped()).isEqualTo(1);
        assertThat(outcome.suspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState,
                SuspendedWorkload::getMessage, SuspendedWorkload::getReplicasBefore).containsExactly(
                        Tuple.tuple("trainer", SuspendedWorkloadState.Suspended, null, 2),
                        Tuple.tuple("notebook", SuspendedWorkloadState.HeldBy,
                                "stopped or watched by gpupool/idle (its restore record is on the workload)", null),
                        Tuple.tuple("protected", SuspendedWorkloadState.Exempt, "finops.dev/exempt is set on it (label "
                                + "or annotation), so no action comes near it", null));
        assertThat(workloads.get(trainer).replicas()).isZero();
        assertThat(workloads.get(notebook).record()).hasValueSatisfying(r ->
                assertThat(r.owner()).isEqualTo("gpupool/idle"));
        assertThat(workloads.get(exempt).replicas()).isEqualTo(1);
        assertThat(events.reasonsOn("trainer")).containsExactly("Suspended");
    }

    @Test
    void aDryRunListsWhatWouldBeSuspendedAndTouchesNothing() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);

        BudgetEnforcement.Outcome outcome = enforcement.enforce(budget(), pods("trainer"), null, true, NOW);

        assertThat(outcome.stopped()).isZero();
        assertThat(outcome.suspended()).singleElement().satisfies(entry -> {
            assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.DryRun);
            assertThat(entry.getReplicasBefore()).isEqualTo(2);
        });
        assertThat(workloads.get(trainer).replicas()).isEqualTo(2);
        assertThat(workloads.log()).isEmpty();
    }

    @Test
    void aPersonsScaleUpIsRecordedOnceAndNeverFought() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);
        List<SuspendedWorkload> listed = enforcement.enforce(budget(), pods("trainer"), null, false, NOW).suspended();
        workloads.scale(trainer, 1);

        enforcement.enforce(budget(), pods("trainer"), listed, false, NOW.plusSeconds(30));
        BudgetEnforcement.Outcome later = enforcement.enforce(budget(), pods("trainer"), listed, false,
                NOW.plusSeconds(60));

        assertThat(later.stopped()).isZero();
        assertThat(later.suspended()).singleElement().satisfies(entry ->
                assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.ResumedByUser));
        assertThat(workloads.get(trainer).replicas()).isEqualTo(1);
        assertThat(workloads.log()).containsExactly("stop team/trainer", "mark team/trainer");
        assertThat(events.reasonsOn("trainer")).containsExactly("Suspended", "ResumedByUser");
    }

    @Test
    void aRestoreRequestOnASuspendedWorkloadGivesItBackAndTheBudgetLeavesItAlone() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);
        List<SuspendedWorkload> listed = enforcement.enforce(budget(), pods("trainer"), null, false, NOW).suspended();
        workloads.annotate(trainer, RestoreRecord.RESTORE, "true");

        BudgetEnforcement.Outcome outcome = enforcement.enforce(budget(), pods("trainer"), listed, false,
                NOW.plusSeconds(30));
        enforcement.enforce(budget(), pods("trainer"), outcome.suspended(), false, NOW.plusSeconds(60));

        assertThat(workloads.get(trainer).replicas()).isEqualTo(2);
        assertThat(workloads.log()).containsExactly("stop team/trainer", "wake team/trainer");
        assertThat(outcome.suspended()).singleElement().satisfies(entry ->
                assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.ResumedByUser));
    }

    @Test
    void aWorkloadChangedSinceItWasReadIsDecidedAgainNextPass() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);
        workloads.failNextWriteWith(409);

        BudgetEnforcement.Outcome refused = enforcement.enforce(budget(), pods("trainer"), null, false, NOW);
        BudgetEnforcement.Outcome next = enforcement.enforce(budget(), pods("trainer"), null, false,
                NOW.plusSeconds(30));

        assertThat(refused.suspended()).isEmpty();
        assertThat(next.stopped()).isEqualTo(1);
        assertThat(workloads.get(trainer).replicas()).isZero();
    }

    private static ExperimentBudget budget() {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("cap");
        budget.getMetadata().setNamespace(NS);
        return budget;
    }

    private static List<GpuPod> pods(String... deployments) {
        return java.util.Arrays.stream(deployments).map(name -> new GpuPod(name + "-uid", NS, name + "-abc12",
                Map.of(), "gpu-node-1", new WorkloadKey("Deployment", name), "apps/v1", NOW.minusSeconds(600), null,
                Map.of("nvidia.com/gpu", 1L))).toList();
    }
}
