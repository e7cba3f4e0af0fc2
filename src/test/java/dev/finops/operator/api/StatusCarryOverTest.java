package dev.finops.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Status written by the version before typed states (a free-text {@code reason} on suspended workloads, actions
 * as plain strings) is read and carried over: nothing a budget or pool listed is lost by an upgrade.
 */
class StatusCarryOverTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    @SuppressWarnings("deprecation")
    void aBudgetsFreeTextReasonsBecomeStatesAndMessages() {
        ExperimentBudget budget = JSON.unmarshal("""
                {"apiVersion": "finops.dev/v1alpha1", "kind": "ExperimentBudget",
                 "metadata": {"name": "cap", "namespace": "team"},
                 "status": {"phase": "Enforced", "suspended": [
                   {"apiVersion": "apps/v1", "kind": "Deployment", "name": "trainer", "replicasBefore": 2,
                    "since": "2026-11-29T10:00:00Z"},
                   {"apiVersion": "apps/v1", "kind": "Deployment", "name": "dry", "replicasBefore": 1,
                    "since": "2026-11-29T10:00:00Z", "reason": "DryRun: would be suspended"},
                   {"apiVersion": "apps/v1", "kind": "Deployment", "name": "woken", "replicasBefore": 3,
                    "reason": "ResumedByUser: started again by a person; left alone until the budget resets or is restored"},
                   {"apiVersion": "apps/v1", "kind": "Deployment", "name": "notebook",
                    "reason": "HeldBy: stopped or watched by gpupool/training (its restore record is on the workload)"},
                   {"apiVersion": "v1", "kind": "Pod", "name": "bare",
                    "reason": "a bare Pod cannot be suspended without deleting it"}]}}
                """, ExperimentBudget.class);

        SuspendedWorkload.carryOver(budget.getStatus().getSuspended());

        assertThat(budget.getStatus().getSuspended()).extracting(SuspendedWorkload::getName,
                SuspendedWorkload::getState, SuspendedWorkload::getMessage, SuspendedWorkload::getReplicasBefore)
                .containsExactly(
                        Tuple.tuple("trainer", SuspendedWorkloadState.Suspended, null, 2),
                        Tuple.tuple("dry", SuspendedWorkloadState.DryRun, "would be suspended", 1),
                        Tuple.tuple("woken", SuspendedWorkloadState.ResumedByUser,
                                "started again by a person; left alone until the budget resets or is restored", 3),
                        Tuple.tuple("notebook", SuspendedWorkloadState.HeldBy,
                                "stopped or watched by gpupool/training (its restore record is on the workload)", null),
                        Tuple.tuple("bare", SuspendedWorkloadState.CannotStop,
                                "a bare Pod cannot be suspended without deleting it", null));
        assertThat(budget.getStatus().getSuspended()).extracting(SuspendedWorkload::getReason).containsOnlyNulls();
        assertThat(JSON.asJson(budget.getStatus())).doesNotContain("\"reason\"")
                .contains("\"state\":\"HeldBy\"");
    }

    @Test
    void aCarriedOverEntryIsLeftAsItIs() {
        SuspendedWorkload entry = new SuspendedWorkload();
        entry.setState(SuspendedWorkloadState.CannotStop);
        entry.setMessage("CronJob has no /scale");

        SuspendedWorkload.carryOver(java.util.List.of(entry));

        assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.CannotStop);
        assertThat(entry.getMessage()).isEqualTo("CronJob has no /scale");
    }

    @Test
    void aPoolsActionsWrittenAsStringsReadAsTheirEnum() {
        GpuPool pool = JSON.unmarshal("""
                {"apiVersion": "finops.dev/v1alpha1", "kind": "GpuPool", "metadata": {"name": "training"},
                 "status": {"idleWorkloads": [
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "a", "action": "ScaledDown",
                    "scaledDownAt": "2026-11-29T10:00:00Z"},
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "b", "action": "WokenByUser"},
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "c", "action": "Report"},
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "action": "Exempt"},
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "e",
                    "action": "CannotScaleDown"},
                   {"namespace": "ml", "apiVersion": "apps/v1", "kind": "Deployment", "name": "f", "action": "Skipped"}]}}
                """, GpuPool.class);

        assertThat(pool.getStatus().getIdleWorkloads()).extracting(IdleWorkload::getAction).containsExactly(
                IdleWorkloadAction.ScaledDown, IdleWorkloadAction.WokenByUser, IdleWorkloadAction.Report,
                IdleWorkloadAction.Exempt, IdleWorkloadAction.CannotScaleDown, IdleWorkloadAction.Skipped);
    }
}
