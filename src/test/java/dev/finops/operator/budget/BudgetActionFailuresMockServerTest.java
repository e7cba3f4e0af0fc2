package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.GpuPods;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A budget's pass never stalls on its workloads: with the API server refusing the stop of some Jobs (403, 404,
 * 422, 500), the ledger is written in the same pass, the other Jobs are suspended and each refused one is listed
 * CannotStop with what failed. And what a status records is told only after its write succeeded.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class BudgetActionFailuresMockServerTest {

    private static final Instant HOUR_AGO = Instant.now().minus(Duration.ofHours(1));

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Test
    void refusedStopsAreTheirJobsOutcomeAndTheLedgerAndTheOtherStopsGoOn() {
        String ns = "stall";
        client.resource(GpuFixtures.p4dNode("gpu-stall-1", "on-demand", Map.of())).create();
        refuse(ns, "locked", 403, "jobs.batch \"locked\" is forbidden: User \"system:serviceaccount:finops:op\" "
                + "cannot patch resource \"jobs\" in API group \"batch\" in the namespace \"stall\"");
        refuse(ns, "vanished", 404, "jobs.batch \"vanished\" not found");
        refuse(ns, "invalid", 422, "Job.batch \"invalid\" is invalid: spec.suspend: Invalid value");
        refuse(ns, "broken", 500, "etcdserver: leader changed");
        for (String job : List.of("fine", "locked", "vanished", "invalid", "broken", "also-fine")) {
            client.resource(new JobBuilder().withNewMetadata().withName(job).withNamespace(ns).endMetadata()
                    .withNewSpec().withSuspend(false).endSpec().build()).create();
            GpuPods.running(client, ns, job + "-x1", "batch/v1", "Job", job, Map.of("team", "stall"), "gpu-stall-1",
                    HOUR_AGO);
        }
        Instant created = Instant.now();
        client.resource(budget(ns, "stall")).create();

        // cost counts from the budget's creation up to now minus the 15 s settle delay: the first spend, over the
        // limit of 0, is in about 15 s
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ExperimentBudgetStatus status = stored(ns, "capped").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getSuspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState)
                    .containsExactlyInAnyOrder(
                            Tuple.tuple("fine", SuspendedWorkloadState.Suspended),
                            Tuple.tuple("also-fine", SuspendedWorkloadState.Suspended),
                            Tuple.tuple("locked", SuspendedWorkloadState.CannotStop),
                            Tuple.tuple("vanished", SuspendedWorkloadState.CannotStop),
                            Tuple.tuple("invalid", SuspendedWorkloadState.CannotStop),
                            Tuple.tuple("broken", SuspendedWorkloadState.CannotStop));
            // the pass that stopped what it could wrote the ledger with it
            assertThat(status.getLedger().getSpentMicros()).isPositive();
            assertThat(Instant.parse(status.getLedger().getAccruedUntil())).isAfter(created);
        });
        ExperimentBudgetStatus status = stored(ns, "capped").getStatus();
        assertThat(message(status, "locked")).isEqualTo("the operator may not stop Job stall/locked: grant patch on "
                + "jobs.batch in namespace stall to its ServiceAccount");
        assertThat(message(status, "invalid")).isEqualTo("the API server refused to stop Job stall/invalid as "
                + "invalid: Job.batch \"invalid\" is invalid: spec.suspend: Invalid value; fix or remove the "
                + "finops.dev/ annotations on it");
        assertThat(message(status, "broken")).startsWith("the API server answered HTTP 500 to patch jobs.batch broken");
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("fine").get().getSpec().getSuspend()).isTrue();
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("locked").get().getSpec().getSuspend()).isFalse();
        // said once on the budget, not on every pass
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(reasons(ns, "capped")).filteredOn("CannotStop"::equals).hasSize(4));
    }

    @Test
    void anAlertWhoseStatusWriteLostIsNotTold() {
        String ns = "conflict";
        client.resource(GpuFixtures.p4dNode("gpu-conflict-1", "on-demand", Map.of())).create();
        client.resource(new JobBuilder().withNewMetadata().withName("train").withNamespace(ns).endMetadata()
                .withNewSpec().withSuspend(false).endSpec().build()).create();
        GpuPods.running(client, ns, "train-x1", "batch/v1", "Job", "train", Map.of("team", "conflict"),
                "gpu-conflict-1", HOUR_AGO);
        ExperimentBudget budget = budget(ns, "conflict");
        budget.getSpec().getEnforcement().setAction(dev.finops.operator.api.EnforcementAction.None);
        client.resource(budget).create();
        // the first status has no spend yet (the settle delay): the next write is the one that records the alerts
        await().atMost(Duration.ofSeconds(10)).until(() -> stored(ns, "capped").getStatus() != null);
        assertThat(stored(ns, "capped").getStatus().getAlertsFired()).isNullOrEmpty();
        // another writer wins the next three status writes: three passes compute the alerts and lose them
        server.expect().put().withPath("/apis/finops.dev/v1alpha1/namespaces/conflict/experimentbudgets/capped/status")
                .andReturn(409, Serialization.asJson(new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("the object has been modified").build())).times(3);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ExperimentBudgetStatus status = stored(ns, "capped").getStatus();
            assertThat(status.getAlertsFired()).containsExactly(50, 80, 100);
        });

        // one Event per threshold, from the one pass whose write succeeded (told just after it); the three passes
        // that lost theirs told nothing, else there would be 12 by now
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(reasons(ns, "capped")).filteredOn("BudgetThresholdReached"::equals).hasSize(3));
    }

    private void refuse(String ns, String job, int code, String message) {
        server.expect().patch().withPath("/apis/batch/v1/namespaces/" + ns + "/jobs/" + job)
                .andReturn(code, Serialization.asJson(new StatusBuilder().withCode(code).withMessage(message).build()))
                .always();
    }

    private static ExperimentBudget budget(String ns, String team) {
        return Serialization.unmarshal("""
                apiVersion: finops.dev/v1alpha1
                kind: ExperimentBudget
                metadata: {name: capped, namespace: %s}
                spec:
                  limit: "0"
                  period: Total
                  selector: {matchLabels: {team: %s}}
                  enforcement: {action: Suspend, gracePeriod: 0s}
                """.formatted(ns, team), ExperimentBudget.class);
    }

    private ExperimentBudget stored(String ns, String name) {
        return client.resources(ExperimentBudget.class).inNamespace(ns).withName(name).get();
    }

    private static String message(ExperimentBudgetStatus status, String name) {
        return status.getSuspended().stream().filter(w -> name.equals(w.getName())).findFirst().orElseThrow()
                .getMessage();
    }

    private List<String> reasons(String ns, String budget) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> budget.equals(e.getInvolvedObject().getName())
                        && "ExperimentBudget".equals(e.getInvolvedObject().getKind()))
                .map(Event::getReason).toList();
    }
}
