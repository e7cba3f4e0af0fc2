package dev.finops.operator.idle;

import dev.finops.operator.FailingWorkloads;
import dev.finops.operator.metrics.ActionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.IdleAction;
import dev.finops.operator.api.IdlePolicy;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.pricing.PriceCatalog;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.RecordingEvents;
import dev.finops.operator.workload.FakeWorkloads;
import dev.finops.operator.workload.RestoreRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pool's idle pass on in-memory workloads and GPU usage: follow the scale-downs, query, merge, act. The
 * workloads are what {@link FakeWorkloads} holds; the usage what {@link FakeGpuUsage} is told.
 */
class PoolIdleDetectionTest {

    private static final ActionMetrics ACTION_METRICS = new ActionMetrics(new SimpleMeterRegistry());

    private static final Instant T = Instant.parse("2026-12-04T22:00:00Z");
    private static final PriceCatalog CATALOG = PriceCatalog.parse(
            "currency,USD\naws,p4d.24xlarge,A100,8,32.7726,14.74767,20.646738\n", "test");
    private static final GpuNode NODE = new GpuNode("gpu-1", Map.of("pool", "training"), "p4d.24xlarge",
            CapacityType.ON_DEMAND, NodeGpus.of(Map.of("nvidia.com/gpu", 8L), Map.of()));
    /** A 1-minute window at one sample every 5 s: 12 samples. */
    private static final long FULL = 12;

    private final FailingWorkloads workloads = new FailingWorkloads();
    private final RecordingEvents events = new RecordingEvents();
    private final FakeGpuUsage usage = new FakeGpuUsage();
    private final IdleScaleDowns scaleDowns = new IdleScaleDowns(workloads, events, ACTION_METRICS, Optional.empty());
    private final PoolIdleDetection detection = new PoolIdleDetection(usage, scaleDowns,
            new IdleScaleDownActions(workloads, scaleDowns, events, ACTION_METRICS));
    private final GpuPool pool = pool(IdleAction.ScaleDown);
    private final NodePriceBook book = NodePriceBook.build(List.of(NODE), List.of(), CATALOG);

    @Test
    void anIdleWorkloadIsScaledDownWithItsRecordAndListed() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 2);
        usage.idle("ml", "notebook-abc", FULL);

        pass(T, pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isZero();
        assertThat(workloads.get(notebook).record()).hasValueSatisfying(record -> {
            assertThat(record.owner()).isEqualTo("gpupool/training");
            assertThat(record.replicasBefore()).isEqualTo(2);
        });
        assertThat(entry("notebook")).hasValueSatisfying(entry -> {
            assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.ScaledDown);
            assertThat(entry.getScaledDownAt()).isEqualTo(T.toString());
        });
        assertThat(events.reasonsOn("notebook")).containsExactly("IdleScaledDown");
    }

    /**
     * The defect this ends: restored at 22:05:12.201 and stopped again 0.36 s later. Prometheus's last window and
     * the pod list of the same pass still say idle; the restore is a wake, so the workload keeps its replicas for
     * a whole new window, then is judged like any other.
     */
    @Test
    void aRestoreRequestIsAWakeTheWorkloadIsNotScaledDownAgainInTheSamePassNorForAWholeWindow() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 2);
        usage.idle("ml", "notebook-abc", FULL);
        pass(T, pod("notebook"));
        workloads.annotate(notebook, RestoreRecord.RESTORE, "true");

        Instant restoredAt = T.plusSeconds(30);
        pass(restoredAt, pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).as("restored, and not stopped again").isEqualTo(2);
        assertThat(workloads.log()).containsExactly("stop ml/notebook", "wake ml/notebook");
        assertThat(workloads.get(notebook).annotations()).doesNotContainKey(RestoreRecord.RESTORE);
        assertThat(workloads.get(notebook).record()).hasValueSatisfying(record ->
                assertThat(record.resumedByUserAt()).isEqualTo(restoredAt));
        assertThat(entry("notebook")).hasValueSatisfying(entry ->
                assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        assertThat(events.reasonsOn("notebook")).containsExactly("IdleScaledDown", "IdleRestored");

        pass(restoredAt.plusSeconds(59), pod("notebook"));
        assertThat(workloads.get(notebook).replicas()).as("a whole window after the restore").isEqualTo(2);

        pass(restoredAt.plusSeconds(60), pod("notebook"));
        assertThat(workloads.get(notebook).replicas()).as("still idle a whole window after the wake").isZero();
        assertThat(workloads.log()).containsExactly("stop ml/notebook", "wake ml/notebook", "restore ml/notebook",
                "stop ml/notebook");
    }

    @Test
    void withoutAnAnswerNothingIsScaledDownAndTheConditionSaysWhy() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 1);
        usage.idle("ml", "notebook-abc", FULL).unavailable("Prometheus at http://p:9090 is unreachable: refused");

        GpuPoolStatus status = pass(T, pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isEqualTo(1);
        assertThat(Conditions.find(status.getConditions(), PoolIdleDetection.CONDITION)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("PrometheusUnavailable");
            assertThat(c.getMessage()).isEqualTo("Prometheus at http://p:9090 is unreachable: refused; nothing is "
                    + "scaled down.");
        });
    }

    @Test
    void aPoolThatTurnsToReportGivesBackWhatItScaledDownAndOnlyListsFromThenOn() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 3);
        WorkloadRef held = workloads.deployment("ml", "held", 1);
        usage.idle("ml", "notebook-abc", FULL).idle("ml", "held-abc", FULL);
        workloads.stop(workloads.inspect(held).orElseThrow(), "other-budget", T);
        workloads.scale(held, 1);
        GpuPoolStatus status = pass(T, pod("notebook"), pod("held"));
        assertThat(entry("held")).hasValueSatisfying(entry ->
                assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.Skipped));

        pool.getSpec().getIdle().setAction(IdleAction.Report);
        pass(T.plusSeconds(10), pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isEqualTo(3);
        assertThat(workloads.get(notebook).record()).isEmpty();
        assertThat(entry("notebook")).hasValueSatisfying(entry ->
                assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.Report));
        assertThat(events.reasonsOn("notebook")).containsExactly("IdleScaledDown", "IdleRestored");
        assertThat(status).isNotNull();
    }

    @Test
    void aMalformedReplyIsTheConditionsReasonAndNothingIsScaledDown() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 1);
        usage.idle("ml", "notebook-abc", FULL).malformed("Prometheus at http://p:9090 sent a reply the idle query "
                + "cannot use: the reply is not JSON: <html>");

        GpuPoolStatus status = pass(T, pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isEqualTo(1);
        assertThat(Conditions.find(status.getConditions(), PoolIdleDetection.CONDITION)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("MalformedReply");
            assertThat(c.getMessage()).isEqualTo("Prometheus at http://p:9090 sent a reply the idle query cannot "
                    + "use: the reply is not JSON: <html>; nothing is scaled down.");
        });
    }

    @Test
    void aScaleDownThatFailsIsThatWorkloadsOutcomeToldOnceAndTheOthersAreScaledDown() {
        WorkloadRef locked = workloads.deployment("ml", "locked", 1);
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 2);
        workloads.failWrites(locked, () -> FailingWorkloads.forbidden("patch", "deployments", "apps", "locked"));
        usage.idle("ml", "locked-abc", FULL).idle("ml", "notebook-abc", FULL);

        pass(T, pod("locked"), pod("notebook"));
        pass(T.plusSeconds(30), pod("locked"), pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isZero();
        assertThat(workloads.get(locked).replicas()).isEqualTo(1);
        assertThat(entry("locked")).hasValueSatisfying(entry -> {
            assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.CannotScaleDown);
            assertThat(entry.getMessage()).isEqualTo("the operator may not stop Deployment ml/locked: grant patch on "
                    + "deployments.apps in namespace ml to its ServiceAccount");
        });
        assertThat(events.reasonsOn("training")).containsExactly("IdleScaleDownFailed", "IdleScaledDown");
    }

    @Test
    void aRestoreThatFailsStaysListedAsCannotRestoreAndIsTriedAgainUntilItWorks() {
        WorkloadRef notebook = workloads.deployment("ml", "notebook", 2);
        usage.idle("ml", "notebook-abc", FULL);
        pass(T, pod("notebook"));
        workloads.failWrites(notebook, () -> FailingWorkloads.refusal(500, "etcdserver: leader changed"));
        pool.getSpec().getIdle().setAction(IdleAction.Report);

        pass(T.plusSeconds(10), pod("notebook"));
        pass(T.plusSeconds(20), pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isZero();
        assertThat(entry("notebook")).hasValueSatisfying(entry -> {
            assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.CannotRestore);
            assertThat(entry.getMessage()).isEqualTo("the API server answered HTTP 500 to patch deployments.apps "
                    + "notebook (etcdserver: leader changed); tried again next pass");
        });
        assertThat(events.reasonsOn("training")).containsExactly("IdleScaledDown", "IdleRestoreFailed");

        workloads.failWrites(notebook, null);
        pass(T.plusSeconds(30), pod("notebook"));

        assertThat(workloads.get(notebook).replicas()).isEqualTo(2);
        assertThat(workloads.get(notebook).record()).isEmpty();
    }

    private GpuPoolStatus pass(Instant now, GpuPod... pods) {
        GpuPoolStatus status = pool.getStatus() == null ? new GpuPoolStatus() : pool.getStatus();
        detection.apply(pool, status, List.of(NODE), List.of(pods), book, 1L, now);
        pool.setStatus(status);
        return status;
    }

    private Optional<IdleWorkload> entry(String name) {
        List<IdleWorkload> idle = pool.getStatus().getIdleWorkloads();
        return idle == null ? Optional.empty() : idle.stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    /** One GPU pod of the Deployment, running for ten minutes before the first pass. */
    private static GpuPod pod(String deployment) {
        return new GpuPod(deployment + "-uid", "ml", deployment + "-abc", Map.of(), NODE.name(),
                new WorkloadKey("Deployment", deployment), "apps/v1", T.minusSeconds(600), null,
                Map.of("nvidia.com/gpu", 1L));
    }

    private static GpuPool pool(IdleAction action) {
        IdlePolicy idle = new IdlePolicy();
        idle.setEnabled(true);
        idle.setWindow("1m");
        idle.setThresholdPercent(5);
        idle.setAction(action);
        GpuPool pool = new GpuPool();
        pool.getMetadata().setName("training");
        pool.setSpec(new GpuPoolSpec());
        pool.getSpec().setIdle(idle);
        return pool;
    }
}
