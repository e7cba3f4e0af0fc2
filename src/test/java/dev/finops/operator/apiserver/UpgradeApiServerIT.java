package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.CommittedCrds;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.e2e.OperatorProcess;
import dev.finops.operator.model.CapacityType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upgrade as users do it: the previous release's CRDs (src/test/resources/upgrade/0.1.0, as last released) and
 * statuses written by that release, then this version's CRDs applied over them and this version's operator
 * started. The ledger goes on from the stored micro-units and watermark, and the old free-string values of the
 * status read into this version's types.
 */
class UpgradeApiServerIT {

    private static final Path PREVIOUS_CRDS = Path.of("src/test/resources/upgrade/0.1.0");
    private static final String NS = "upgrade";
    private static final long STORED_MICROS = 1_234_567_891L;
    private static final ResourceDefinitionContext BUDGETS = new ResourceDefinitionContext.Builder()
            .withGroup("finops.dev").withVersion("v1alpha1").withPlural("experimentbudgets").withNamespaced(true)
            .build();
    private static final ResourceDefinitionContext POOLS = new ResourceDefinitionContext.Builder()
            .withGroup("finops.dev").withVersion("v1alpha1").withPlural("gpupools").withNamespaced(false).build();

    private static RealApiServer api;
    private static KubernetesClient client;
    private static Instant watermark;

    @BeforeAll
    static void previousRelease() throws Exception {
        api = RealApiServer.start();
        client = api.client();
        try (Stream<Path> files = Files.list(PREVIOUS_CRDS)) {
            files.sorted().forEach(file -> CommittedCrds.installFile(client, file));
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        watermark = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        writtenByThePreviousRelease();
        CommittedCrds.install(client);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theNewOperatorCarriesTheOldLedgerAndStatusOverToTheMicroUnit() throws Exception {
        try (OperatorProcess operator = new OperatorProcess(api.kubeconfig(), "upgrade",
                Map.of("FINOPS_PASS_INTERVAL", "1s")).start()) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                ExperimentBudget budget = client.resources(ExperimentBudget.class).inNamespace(NS)
                        .withName("carried").get();
                assertThat(budget.getStatus().getObservedGeneration()).isEqualTo(1L);
                // no pod ran since: the stored micro-units stay exactly, the watermark moves on
                assertThat(budget.getStatus().getLedger().getSpentMicros()).isEqualTo(STORED_MICROS);
                assertThat(Instant.parse(budget.getStatus().getLedger().getAccruedUntil())).isAfter(watermark);
                assertThat(budget.getStatus().getSpent()).isEqualTo("1234.57");
                assertThat(budget.getStatus().getAlertsFired()).containsExactly(50, 80);
                assertThat(budget.getStatus().getHistory()).singleElement()
                        .satisfies(period -> assertThat(period.getSpentMicros()).isEqualTo(99_000_000L));
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                GpuPool pool = client.resources(GpuPool.class).withName("carried").get();
                assertThat(pool.getStatus().getObservedGeneration()).isEqualTo(1L);
                assertThat(pool.getStatus().getDesired().getCapacityTypes()).containsExactly(CapacityType.ON_DEMAND);
            });
        }
    }

    /** A budget and a pool with statuses in the previous release's exact form (free strings and all). */
    private static void writtenByThePreviousRelease() {
        GenericKubernetesResource budget = client.genericKubernetesResources(BUDGETS).inNamespace(NS)
                .resource(yaml("""
                        apiVersion: finops.dev/v1alpha1
                        kind: ExperimentBudget
                        metadata: {name: carried, namespace: %s}
                        spec:
                          team: research
                          limit: "2000"
                          period: Monthly
                          selector: {matchLabels: {experiment: carried}}
                        """.formatted(NS))).create();
        budget.setAdditionalProperty("status", client.getKubernetesSerialization().unmarshal("""
                observedGeneration: 1
                phase: Warning
                periodStart: "%1$s"
                spent: "1234.57"
                percentUsed: 61
                burnRatePerHour: "0.00"
                ledger: {spentMicros: %2$d, accruedUntil: "%3$s"}
                alertsFired: [50, 80]
                history:
                - {periodStart: "2026-10-01T00:00:00Z", periodEnd: "2026-11-01T00:00:00Z", spent: "99.00", spentMicros: 99000000}
                suspended:
                - {apiVersion: apps/v1, kind: Deployment, name: gone, replicasBefore: 2, since: "%3$s", reason: "DryRun"}
                conditions:
                - {type: Ready, status: "True", reason: Reconciled, message: old, lastTransitionTime: "%3$s"}
                """.formatted(monthStart(), STORED_MICROS, watermark), Map.class));
        client.genericKubernetesResources(BUDGETS).inNamespace(NS).resource(budget).updateStatus();

        GenericKubernetesResource pool = client.genericKubernetesResources(POOLS).resource(yaml("""
                apiVersion: finops.dev/v1alpha1
                kind: GpuPool
                metadata: {name: carried}
                spec:
                  nodeSelector: {matchLabels: {pool: carried}}
                  capacity: {strategy: OnDemandOnly}
                """)).create();
        pool.setAdditionalProperty("status", client.getKubernetesSerialization().unmarshal("""
                observedGeneration: 1
                desired: {spot: 0, onDemand: 0, capacityTypes: [spot, on-demand]}
                idleWorkloads:
                - {namespace: team, apiVersion: apps/v1, kind: Deployment, name: notebook, gpus: "1", action: ScaledDown,
                   scaledDownAt: "%s"}
                """.formatted(watermark), Map.class));
        client.genericKubernetesResources(POOLS).resource(pool).updateStatus();
    }

    private static GenericKubernetesResource yaml(String text) {
        return client.getKubernetesSerialization().unmarshal(text, GenericKubernetesResource.class);
    }

    private static String monthStart() {
        return java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).toLocalDate()
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString();
    }
}
