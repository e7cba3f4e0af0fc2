package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.CommittedCrds;
import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.e2e.OperatorProcess;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.pool.provider.ProviderCrds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
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
        poolsInThePreviousForm();
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

    @Test
    void poolsWrittenInThePreviousFormKeepWorkingAndSayHowToMigrate() throws Exception {
        try (OperatorProcess operator = new OperatorProcess(api.kubeconfig(), "upgrade-pools",
                Map.of("FINOPS_PASS_INTERVAL", "1s")).start()) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                GpuPool pool = client.resources(GpuPool.class).withName("old-karpenter").get();
                assertThat(pool.getStatus()).as("status written").isNotNull();
                // no node yet: GPUs per node from spec.pricing.instanceType, as the previous release did
                assertThat(pool.getStatus().getDesired().getGpusPerNode()).isEqualTo(8);
                assertThat(pool.getStatus().getDesired().getGpusPerNodeFrom())
                        .isEqualTo(GpusPerNodeSource.PricingInstanceType);
                assertThat(pool.getStatus().getDesired().getSpot()).isEqualTo(5);
                Condition synced = StatusConditions.condition(pool, "ProviderSynced").orElse(new Condition());
                assertThat(synced.getStatus()).as(synced.getMessage()).isEqualTo("True");
                assertThat(api.kubectl("get", "nodepool", "old-spot", "-o", "jsonpath={.spec.template.spec"
                        + ".requirements[?(@.key==\"karpenter.sh/capacity-type\")].values[*]} "
                        + "{.spec.limits.nvidia\\.com/gpu}")).isEqualTo("spot 80");
                Condition current = StatusConditions.condition(pool, "SpecCurrent").orElse(new Condition());
                assertThat(current.getStatus()).isEqualTo("False");
                assertThat(current.getReason()).isEqualTo("NodePoolRolesImpliedByOrder");
                assertThat(current.getMessage()).endsWith("replace it with spec.provider.karpenter.nodePoolRoles: "
                        + "[{name: old-spot, role: Spot}, {name: old-on-demand, role: OnDemand}].");
                assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("old-karpenter");
                    assertThat(e.getReason()).isEqualTo("NodePoolRolesImpliedByOrder");
                    assertThat(e.getType()).isEqualTo("Warning");
                });

                Condition noNamespace = StatusConditions.condition(
                        client.resources(GpuPool.class).withName("old-scale-target").get(), "ProviderSynced").orElse(new Condition());
                assertThat(noNamespace.getReason()).isEqualTo("ScaleTargetNamespaceMissing");
                assertThat(noNamespace.getMessage()).isEqualTo("spec.provider.scaleTargets.spot.namespace is "
                        + "required: name the namespace of MachineDeployment gpu-spot; nothing was scaled.");
            });
        }
    }

    /**
     * Pools the previous release accepted and the new schema would not: a Karpenter pool with roles by list order
     * and its GPUs per node only in spec.pricing.instanceType, five pending 8-GPU pods for it, and a scale target
     * without a namespace.
     */
    private static void poolsInThePreviousForm() throws Exception {
        ProviderCrds.install(client, ProviderCrds.NODEPOOLS);
        for (String[] nodePool : new String[][] {{"old-spot", "spot"}, {"old-on-demand", "on-demand"}}) {
            Path file = Files.createTempFile("nodepool-", ".yaml");
            Files.writeString(file, """
                    apiVersion: karpenter.sh/v1
                    kind: NodePool
                    metadata: {name: %s}
                    spec:
                      template:
                        spec:
                          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                          requirements:
                            - {key: karpenter.sh/capacity-type, operator: In, values: [%s]}
                    """.formatted(nodePool[0], nodePool[1]));
            api.kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
            Files.delete(file);
        }
        client.genericKubernetesResources(POOLS).resource(yaml("""
                apiVersion: finops.dev/v1alpha1
                kind: GpuPool
                metadata: {name: old-karpenter}
                spec:
                  nodeSelector:
                    matchExpressions: [{key: karpenter.sh/nodepool, operator: In, values: [old-spot, old-on-demand]}]
                  capacity: {strategy: SpotFirst, maxNodes: 10}
                  pricing: {instanceType: p4d.24xlarge, spotPerHour: "14.5"}
                  provider:
                    karpenter: {nodePools: [old-spot, old-on-demand]}
                """)).create();
        client.genericKubernetesResources(POOLS).resource(yaml("""
                apiVersion: finops.dev/v1alpha1
                kind: GpuPool
                metadata: {name: old-scale-target}
                spec:
                  nodeSelector: {matchLabels: {pool: old-scale-target}}
                  capacity: {maxNodes: 2}
                  provider:
                    scaleTargets:
                      spot: {apiVersion: cluster.x-k8s.io/v1beta1, kind: MachineDeployment, name: gpu-spot}
                """)).create();
        for (int i = 0; i < 5; i++) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("trainer-" + i)
                    .endMetadata().withNewSpec().addToNodeSelector("karpenter.sh/nodepool", "old-spot")
                    .addNewContainer().withName("train").withImage("registry.example/train:1").withNewResources()
                    .addToLimits("nvidia.com/gpu", new Quantity("8")).endResources().endContainer().endSpec().build())
                    .create();
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
