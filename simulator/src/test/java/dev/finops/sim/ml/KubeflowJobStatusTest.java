package dev.finops.sim.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeflowJobStatusTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.250Z");
    private static final Instant T1 = Instant.parse("2026-03-01T10:05:00Z");
    private static final Instant T2 = Instant.parse("2026-03-01T10:09:00Z");
    private static final Map<String, KubeflowJobStatus.ReplicaCounts> RUNNING = Map.of(
            "Master", new KubeflowJobStatus.ReplicaCounts(1, 0, 0), "Worker", new KubeflowJobStatus.ReplicaCounts(2, 0, 0));

    private static Map<String, Object> condition(Map<String, Object> status, String type) {
        return Unstructured.list(status, "conditions").stream().filter(c -> type.equals(c.get("type"))).findFirst()
                .orElseThrow();
    }

    @Test
    void suspendingARunningJobSetsSuspendedAndRunningFalseAndZeroActiveThenResumingRestartsTheClock() {
        Map<String, Object> running = KubeflowJobStatus.next("PyTorchJob", "bert", Map.of(), false, RUNNING, true, false, T0);
        assertThat(condition(running, "Created")).containsEntry("status", "True").containsEntry("reason", "PyTorchJobCreated")
                .containsEntry("message", "PyTorchJob bert is created.");
        assertThat(condition(running, "Running")).containsEntry("status", "True").containsEntry("reason", "PyTorchJobRunning");
        assertThat(running).containsEntry("startTime", "2026-03-01T10:00:00Z");

        Map<String, Object> suspended = KubeflowJobStatus.next("PyTorchJob", "bert", running, true, RUNNING, false, false, T1);
        assertThat(condition(suspended, "Suspended")).containsEntry("status", "True")
                .containsEntry("reason", "PyTorchJobSuspended").containsEntry("message", "PyTorchJob bert is suspended.")
                .containsEntry("lastTransitionTime", "2026-03-01T10:05:00Z");
        assertThat(condition(suspended, "Running")).containsEntry("status", "False").containsEntry("reason", "PyTorchJobSuspended");
        assertThat(Unstructured.map(suspended, "replicaStatuses", "Worker")).containsEntry("active", 0);

        Map<String, Object> resumed = KubeflowJobStatus.next("PyTorchJob", "bert", suspended, false, RUNNING, false, false, T2);
        assertThat(condition(resumed, "Suspended")).containsEntry("status", "False").containsEntry("reason", "PyTorchJobResumed")
                .containsEntry("message", "PyTorchJob bert is resumed.");
        assertThat(resumed).containsEntry("startTime", "2026-03-01T10:09:00Z");
        assertThat(condition(resumed, "Created")).containsEntry("lastTransitionTime", "2026-03-01T10:00:00Z");
    }

    @Test
    void anUnchangedJobGetsAnEqualStatusSoNothingIsWritten() {
        Map<String, Object> running = KubeflowJobStatus.next("PyTorchJob", "bert", Map.of(), false, RUNNING, true, false, T0);

        assertThat(KubeflowJobStatus.next("PyTorchJob", "bert", running, false, RUNNING, true, false, T2)).isEqualTo(running);
    }

    @Test
    void aSucceededMasterCompletesTheJob() {
        Map<String, Object> done = KubeflowJobStatus.next("TFJob", "mnist", Map.of(), false, RUNNING, false, true, T1);

        assertThat(condition(done, "Succeeded")).containsEntry("status", "True").containsEntry("reason", "TFJobSucceeded");
        assertThat(done).containsEntry("completionTime", "2026-03-01T10:05:00Z");
        assertThat(Unstructured.list(done, "conditions")).extracting(c -> c.get("type"))
                .isEqualTo(List.of("Created", "Running", "Succeeded"));
    }
}
