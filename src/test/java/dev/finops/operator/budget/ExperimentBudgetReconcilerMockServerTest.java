package dev.finops.operator.budget;

import static dev.finops.operator.MockServerFixtures.drainRequests;
import static dev.finops.operator.MockServerFixtures.get;
import static dev.finops.operator.MockServerFixtures.writes;
import static dev.finops.operator.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.Samples;
import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.metrics.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ExperimentBudgetReconcilerMockServerTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @Inject
    ReconcileMetrics metrics;

    @Test
    void everySampleBecomesReadyAndValid() {
        List<ExperimentBudget> samples = Samples.load(ExperimentBudget.class);
        assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
        for (ExperimentBudget sample : samples) {
            sample.getMetadata().setNamespace("samples");
            client.resource(sample).create();
        }
        for (ExperimentBudget sample : samples) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ExperimentBudget stored = get(client, sample);
                assertThat(condition(stored, "Ready")).get()
                        .extracting(Condition::getStatus, Condition::getReason)
                        .containsExactly("True", "Reconciled");
                assertThat(condition(stored, "Valid")).get().extracting(Condition::getStatus).isEqualTo("True");
                assertThat(stored.getStatus().getPhase()).isEqualTo(BudgetPhase.Active);
                assertThat(stored.getStatus().getObservedGeneration()).isEqualTo(stored.getMetadata().getGeneration());
            });
        }
    }

    @Test
    void anInvalidSpecIsReportedNamingTheField() {
        ExperimentBudget budget = Samples.named(ExperimentBudget.class, "vision-team-monthly");
        budget.getMetadata().setNamespace("invalid");
        budget.getSpec().setTimeZone("Mars/Olympus_Mons");
        budget.getSpec().getSelector().setMatchExpressions(List.of(new LabelSelectorRequirementBuilder()
                .withKey("tier").withOperator("Within").withValues("gold").build()));
        client.resource(budget).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ExperimentBudget stored = get(client, budget);
            assertThat(stored.getStatus()).isNotNull();
            assertThat(stored.getStatus().getPhase()).isEqualTo(BudgetPhase.Invalid);
            Condition valid = condition(stored, "Valid").orElseThrow(() -> new AssertionError("no Valid condition yet"));
            assertThat(valid.getStatus()).isEqualTo("False");
            assertThat(valid.getReason()).isEqualTo("InvalidSpec");
            assertThat(valid.getMessage()).isEqualTo("spec.selector.matchExpressions[0].operator: \"Within\" is not "
                    + "one of In, NotIn, Exists, DoesNotExist; spec.timeZone: \"Mars/Olympus_Mons\" is not an IANA "
                    + "time zone; write e.g. UTC or Europe/Paris");
            Condition ready = condition(stored, "Ready").orElseThrow(() -> new AssertionError("no Ready condition yet"));
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getMessage()).isEqualTo(valid.getMessage());
        });
    }

    @Test
    void anUnchangedBudgetIsNotWrittenAgain() throws InterruptedException {
        ExperimentBudget budget = Samples.named(ExperimentBudget.class, "llm-sweep-42");
        budget.getMetadata().setNamespace("quiet");
        client.resource(budget).create();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> condition(get(client, budget), "Ready").isPresent());
        String transition = condition(get(client, budget), "Ready").orElseThrow().getLastTransitionTime();
        drainRequests(server);
        double passesBefore = metrics.passes("ExperimentBudget").count();
        int budgets = client.resources(ExperimentBudget.class).inAnyNamespace().list().getItems().size();

        // the pass interval is 300ms in tests: wait for three more passes over every (unchanged) budget
        await().atMost(Duration.ofSeconds(20))
                .until(() -> metrics.passes("ExperimentBudget").count() >= passesBefore + 3 * budgets);

        assertThat(writes(drainRequests(server))).isEmpty();
        assertThat(condition(get(client, budget), "Ready").orElseThrow().getLastTransitionTime()).isEqualTo(transition);
    }
}
