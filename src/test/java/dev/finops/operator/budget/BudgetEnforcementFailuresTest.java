package dev.finops.operator.budget;

import static dev.finops.operator.FailingWorkloads.forbidden;
import static dev.finops.operator.FailingWorkloads.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.FailingWorkloads;
import dev.finops.operator.api.Enforcement;
import dev.finops.operator.api.EnforcementAction;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.metrics.ActionMetrics;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.PendingEvents;
import dev.finops.operator.status.RecordingEvents;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.workload.RestoreRecord;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** An error on one workload is that workload's outcome; the pass goes on for the others. */
class BudgetEnforcementFailuresTest {

    private static final String NS = "team";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private final FailingWorkloads workloads = new FailingWorkloads();
    private final RecordingEvents events = new RecordingEvents();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActionMetrics metrics = new ActionMetrics(registry);
    private final BudgetEnforcement enforcement = new BudgetEnforcement(workloads, events, metrics);

    @Test
    void everyWorkloadsFailureIsItsOwnCannotStopEntryAndTheOthersAreStillSuspended() {
        WorkloadRef fine = workloads.deployment(NS, "fine", 2);
        workloads.failWrites(workloads.deployment(NS, "forbidden", 1),
                () -> forbidden("patch", "deployments", "apps", "forbidden"));
        workloads.failReads(workloads.deployment(NS, "gone", 1),
                () -> refusal(404, "deployments.apps \"gone\" not found"));
        workloads.failWrites(workloads.deployment(NS, "invalid", 1), () -> new KubernetesClientException("invalid",
                422, new StatusBuilder().withCode(422).withMessage("Deployment.apps \"invalid\" is invalid")
                        .withNewDetails().withCauses(new StatusCauseBuilder().withField("metadata.annotations")
                                .withMessage("Invalid value: \"finops.dev/replicas-before\"").build()).endDetails()
                        .build()));
        workloads.failWrites(workloads.deployment(NS, "broken", 1),
                () -> refusal(500, "etcdserver: request timed out"));
        workloads.failReads(workloads.deployment(NS, "weird", 1), () -> new IllegalStateException("boom"));
        WorkloadRef later = workloads.deployment(NS, "later", 3);

        BudgetEnforcement.Outcome outcome = enforcement.enforce(budget(), pods("fine", "forbidden", "gone", "invalid",
                "broken", "weird", "later"), null, false, NOW);

        assertThat(outcome.stopped()).isEqualTo(2);
        assertThat(outcome.suspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState,
                SuspendedWorkload::getMessage).containsExactly(
                        Tuple.tuple("fine", SuspendedWorkloadState.Suspended, null),
                        Tuple.tuple("forbidden", SuspendedWorkloadState.CannotStop, "the operator may not stop "
                                + "Deployment team/forbidden: grant patch on deployments.apps in namespace team to "
                                + "its ServiceAccount"),
                        Tuple.tuple("gone", SuspendedWorkloadState.CannotStop, "Deployment team/gone or its API "
                                + "apps/v1 is not served (deployments.apps \"gone\" not found); install its CRD or "
                                + "remove the workload"),
                        Tuple.tuple("invalid", SuspendedWorkloadState.CannotStop, "the API server refused to stop "
                                + "Deployment team/invalid as invalid: metadata.annotations: Invalid value: "
                                + "\"finops.dev/replicas-before\"; fix or remove the finops.dev/ annotations on it"),
                        Tuple.tuple("broken", SuspendedWorkloadState.CannotStop, "the API server answered HTTP 500 "
                                + "to patch deployments.apps broken (etcdserver: request timed out); tried again next "
                                + "pass"),
                        Tuple.tuple("weird", SuspendedWorkloadState.CannotStop, "could not read Deployment "
                                + "team/weird: IllegalStateException: boom"),
                        Tuple.tuple("later", SuspendedWorkloadState.Suspended, null));
        assertThat(workloads.get(fine).replicas()).isZero();
        assertThat(workloads.get(later).replicas()).isZero();
        assertThat(registry.get("finops.workload.actions.failed").tags("actor", "budget", "kind", "Deployment",
                "reason", "Forbidden").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("finops.workload.actions.failed").tags("reason", "Unexpected").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aWorkloadThatCannotBeRestoredStaysListedIsToldOnceAndIsRestoredOnceItCan() {
        WorkloadRef trainer = workloads.deployment(NS, "trainer", 2);
        WorkloadRef other = workloads.deployment(NS, "other", 1);
        ExperimentBudget budget = budget();
        ExperimentBudgetStatus status = status(false, NOW.minusSeconds(3600));
        status.setSuspended(enforcement.enforce(budget, pods("trainer", "other"), null, false, NOW).suspended());
        workloads.failWrites(trainer, () -> forbidden("patch", "deployments", "apps", "trainer"));

        PendingEvents first = new PendingEvents();
        ExperimentBudgetStatus afterFirst = pass(budget, status, first);
        PendingEvents second = new PendingEvents();
        ExperimentBudgetStatus afterSecond = pass(budget, afterFirst, second);

        String message = "the operator may not restore Deployment team/trainer: grant patch on deployments.apps in "
                + "namespace team to its ServiceAccount; tried again on every pass";
        assertThat(afterSecond.getSuspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState,
                SuspendedWorkload::getMessage, SuspendedWorkload::getReplicasBefore)
                .containsExactly(Tuple.tuple("trainer", SuspendedWorkloadState.CannotRestore, message, 2));
        assertThat(workloads.get(other).replicas()).isEqualTo(1);
        assertThat(first.reasons()).containsExactly("CannotRestore");
        assertThat(second.reasons()).isEmpty();

        workloads.failWrites(trainer, null);
        ExperimentBudgetStatus healed = pass(budget, afterSecond, new PendingEvents());

        assertThat(healed.getSuspended()).isNull();
        assertThat(workloads.get(trainer).replicas()).isEqualTo(2);
        assertThat(workloads.get(trainer).record()).isEmpty();
    }

    @Test
    void whenTheGracePeriodStartsTheBudgetAndEachWorkloadItWillStopAreWarnedOnce() {
        workloads.deployment(NS, "trainer", 2);
        WorkloadRef exempt = workloads.deployment(NS, "protected", 1);
        workloads.annotate(exempt, RestoreRecord.EXEMPT, "true");
        ExperimentBudget budget = budget();
        budget.getSpec().getEnforcement().setGracePeriod("10m");
        ExperimentBudgetStatus status = status(true, NOW.minusSeconds(60));

        PendingEvents first = new PendingEvents();
        ExperimentBudgetStatus afterFirst = pass(budget, status, first);
        first.publishTo(events);
        PendingEvents second = new PendingEvents();
        ExperimentBudgetStatus afterSecond = pass(budget, afterFirst, second);

        String avoid = "To avoid it: raise spec.limit above the spend, label a workload finops.dev/exempt=true, or "
                + "set spec.enforcement.dryRun: true.";
        String pending = "Spent 105.00 of 100.00 USD (105%): the budget's workloads will be suspended at "
                + "2026-12-04T12:09:00Z, when its grace period of 10m ends. " + avoid;
        assertThat(events.published()).containsExactly(
                "Warning SuspensionScheduled team/trainer: Budget cap spent 105.00 of 100.00 USD (105%): Deployment "
                        + "team/trainer will be suspended at 2026-12-04T12:09:00Z. " + avoid,
                "Warning SuspensionScheduled team/cap: " + pending + " To be suspended: Deployment team/trainer.");
        assertThat(second.reasons()).isEmpty();
        assertThat(Conditions.find(afterSecond.getConditions(), BudgetConditions.ENFORCED)).get()
                .satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("GracePeriod");
                    assertThat(c.getMessage()).isEqualTo(pending);
                });
        assertThat(workloads.get(new WorkloadRef("apps/v1", "Deployment", NS, "trainer")).replicas()).isEqualTo(2);
    }

    @Test
    void exemptAndHeldWorkloadsAreListedAndToldOnce() {
        workloads.deployment(NS, "trainer", 2);
        WorkloadRef exempt = workloads.deployment(NS, "protected", 1);
        workloads.annotate(exempt, RestoreRecord.EXEMPT, "true");
        WorkloadRef held = workloads.deployment(NS, "notebook", 1);
        workloads.stop(workloads.inspect(held).orElseThrow(), "gpupool/idle", NOW);
        ExperimentBudget budget = budget();
        ExperimentBudgetStatus status = status(true, NOW.minusSeconds(60));

        PendingEvents first = new PendingEvents();
        ExperimentBudgetStatus afterFirst = pass(budget, status, first);
        first.publishTo(events);
        PendingEvents second = new PendingEvents();
        pass(budget, afterFirst, second);

        assertThat(afterFirst.getSuspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState)
                .containsExactly(Tuple.tuple("trainer", SuspendedWorkloadState.Suspended),
                        Tuple.tuple("protected", SuspendedWorkloadState.Exempt),
                        Tuple.tuple("notebook", SuspendedWorkloadState.HeldBy));
        assertThat(events.published()).filteredOn(e -> !e.contains(" Suspended ")).containsExactly(
                "Normal WorkloadExempt team/cap: Deployment team/protected: finops.dev/exempt is set on it (label or "
                        + "annotation), so no action comes near it",
                "Warning WorkloadHeldByAnother team/cap: Deployment team/notebook: stopped or watched by gpupool/idle "
                        + "(its restore record is on the workload)");
        assertThat(second.reasons()).isEmpty();
    }

    /** One pass of {@link BudgetEnforcement#apply} over a budget whose stored status is {@code stored}. */
    private ExperimentBudgetStatus pass(ExperimentBudget budget, ExperimentBudgetStatus stored, PendingEvents notices) {
        budget.setStatus(stored);
        ExperimentBudgetStatus next = Statuses.copyOf(stored, ExperimentBudgetStatus.class, ExperimentBudgetStatus::new);
        enforcement.apply(budget, next, pods("trainer", "protected", "notebook", "other"), NOW, notices);
        return next;
    }

    private static ExperimentBudgetStatus status(boolean exceeded, Instant since) {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        status.setObservedGeneration(1L);
        status.setPeriodStart("2026-12-01T00:00:00Z");
        status.setSpent("105.00");
        status.setPercentUsed(105);
        status.setConditions(Conditions.set(null, BudgetConditions.BUDGET_EXCEEDED, exceeded,
                BudgetConditions.Reason.LimitReached, "", 1L, since));
        return status;
    }

    private static ExperimentBudget budget() {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("cap");
        budget.getMetadata().setNamespace(NS);
        budget.getMetadata().setGeneration(1L);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setLimit(new IntOrString("100"));
        Enforcement enforcement = new Enforcement();
        enforcement.setAction(EnforcementAction.Suspend);
        spec.setEnforcement(enforcement);
        budget.setSpec(spec);
        return budget;
    }

    private static List<GpuPod> pods(String... deployments) {
        return Arrays.stream(deployments).map(name -> new GpuPod(name + "-uid", NS, name + "-abc12", Map.of(),
                "gpu-node-1", new WorkloadKey("Deployment", name), "apps/v1", NOW.minusSeconds(600), null,
                Map.of("nvidia.com/gpu", 1L))).toList();
    }
}
