package dev.finops.operator.pool;

import static dev.finops.operator.model.CapacityType.ON_DEMAND;
import static dev.finops.operator.model.CapacityType.RESERVED;
import static dev.finops.operator.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import dev.finops.operator.api.NodeShape;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.apiserver.RealApiServerProfile;
import dev.finops.operator.apiserver.RealApiServerResource;
import dev.finops.operator.pool.provider.ProviderCrds;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real kube-apiserver with the real Karpenter NodePool CRD: a missing NodePool is reported;
 * a storm of spot node interruptions moves a pool to on-demand, and it returns to spot once the cooldown has
 * passed, without flapping.
 */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class GpuPoolCapacityApiServerIT {

    private static final String SPOT_POOL = "storm-spot";
    private static final String ON_DEMAND_POOL = "storm-on-demand";
    private static final Duration COOLDOWN = Duration.ofSeconds(20);

    @Test
    void anInterruptionStormFallsBackToOnDemandAndReturnsAfterTheCooldown() throws Exception {
        installNodePools();
        for (int i = 1; i <= 4; i++) {
            client().nodes().resource(GpuFixtures.p4dNode("storm-" + i, "spot",
                    Map.of("karpenter.sh/nodepool", SPOT_POOL))).create();
        }
        client().resource(pool()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(condition("ProviderSynced").getStatus()).isEqualTo("True");
            assertThat(condition("SpotFallbackActive").getStatus()).isEqualTo("False");
            assertThat(capacityTypes(SPOT_POOL)).isEqualTo("spot");
            assertThat(capacityTypes(ON_DEMAND_POOL)).isEqualTo("on-demand");
        });

        // Karpenter marks one node for disruption, then removes it and two more: three interruptions (> 2)
        client().nodes().withName("storm-1").edit(node -> new NodeBuilder(node).editSpec()
                .addToTaints(new TaintBuilder().withKey("karpenter.sh/disrupted").withEffect("NoSchedule").build())
                .endSpec().build());
        client().nodes().withName("storm-1").delete();
        client().nodes().withName("storm-2").delete();
        client().nodes().withName("storm-3").delete();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Condition fallback = condition("SpotFallbackActive");
            assertThat(fallback.getStatus()).isEqualTo("True");
            assertThat(fallback.getReason()).isEqualTo("TooManyInterruptions");
            assertThat(capacityTypes(SPOT_POOL)).isEqualTo("on-demand");
            assertThat(api().kubectl("get", "nodepool", SPOT_POOL, "-o", "jsonpath={.spec.limits.nvidia\\.com/gpu}"))
                    .isEqualTo("0");
            GpuPool stored = stored();
            assertThat(stored.getStatus().getInterruptions().getLastHour()).isEqualTo(3);
            assertThat(stored.getStatus().getInterruptions().getFallbackUntil()).isNotNull();
            assertThat(stored.getStatus().getDesired().getCapacityTypes()).containsExactly(ON_DEMAND);
            assertThat(InterruptionHistory.decode(stored.getMetadata().getAnnotations()
                    .get(InterruptionHistory.ANNOTATION)).interruptions())
                    .extracting(InterruptionHistory.Interruption::node)
                    .containsExactlyInAnyOrder("storm-1", "storm-2", "storm-3");
            assertThat(events("TooManyInterruptions")).extracting(Event::getType).containsOnly("Warning");
        });

        // watch every change of the fallback from here on: exactly one return to spot, never back again
        List<String> transitions = new ArrayList<>();
        AtomicBoolean last = new AtomicBoolean(true);
        await().atMost(COOLDOWN.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> backOnSpot(last, transitions));
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> backOnSpot(last, transitions));
        assertThat(transitions).containsExactly("spot");
        assertThat(stored().getStatus().getInterruptions().getLastHour()).as("the storm is still within the hour")
                .isEqualTo(3);
        assertThat(stored().getStatus().getInterruptions().getFallbackUntil()).isNull();
        assertThat(events("SpotHealthy")).extracting(Event::getType).containsOnly("Normal");
    }

    @Test
    void aMissingNodePoolIsAFalseConditionAndAWarningEvent() {
        ProviderCrds.install(client(), ProviderCrds.NODEPOOLS);
        GpuPool pool = pool();
        pool.getMetadata().setName("lost");
        pool.getSpec().getProvider().getKarpenter().setNodePools(List.of("no-such-nodepool"));
        client().resource(pool).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("lost").get();
            assertThat(stored.getStatus()).as("status written").isNotNull();
            Condition synced = stored.getStatus().getConditions().stream()
                    .filter(c -> "ProviderSynced".equals(c.getType())).findFirst().orElse(new Condition());
            assertThat(synced.getStatus()).isEqualTo("False");
            assertThat(synced.getReason()).isEqualTo("NodePoolNotFound");
            assertThat(synced.getMessage()).isEqualTo("NodePool no-such-nodepool (karpenter.sh/v1) does not exist; "
                    + "create it or fix spec.provider.karpenter.nodePools.");
            assertThat(stored.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("NodePoolNotFound");
            });
            assertThat(client().v1().events().inNamespace("default").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("lost");
                        assertThat(e.getReason()).isEqualTo("NodePoolNotFound");
                        assertThat(e.getType()).isEqualTo("Warning");
                    });
            // the older nodePools list keeps working and says how to migrate
            Condition current = StatusConditions.condition(stored, "SpecCurrent").orElse(new Condition());
            assertThat(current.getStatus()).isEqualTo("False");
            assertThat(current.getReason()).isEqualTo("NodePoolRolesImpliedByOrder");
            assertThat(current.getMessage()).isEqualTo("spec.provider.karpenter.nodePools is deprecated: it gives the "
                    + "NodePools their roles by list order (no-such-nodepool: Any). It keeps working; to migrate, "
                    + "replace it with spec.provider.karpenter.nodePoolRoles: [{name: no-such-nodepool, role: Any}].");
            assertThat(poolEvents("lost", "NodePoolRolesImpliedByOrder")).extracting(Event::getType)
                    .containsExactly("Warning");
        });
    }

    @Test
    void aKarpenterPoolAtZeroNodesScalesFromItsNodePoolsRequirements() throws Exception {
        ProviderCrds.install(client(), ProviderCrds.NODEPOOLS);
        for (String[] nodePool : List.of(new String[] {"zero-spot", "spot"}, new String[] {"zero-od", "on-demand"})) {
            applyYaml("""
                    apiVersion: karpenter.sh/v1
                    kind: NodePool
                    metadata: {name: %s}
                    spec:
                      template:
                        spec:
                          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                          requirements:
                            - {key: karpenter.sh/capacity-type, operator: In, values: [%s]}
                            - {key: karpenter.k8s.aws/instance-gpu-count, operator: In, values: ["8"]}
                    """.formatted(nodePool[0], nodePool[1]));
        }
        pendingEightGpuPods("karpenter-zero", "karpenter.sh/nodepool", "zero-spot");
        GpuPool pool = zeroPool("karpenter-zero", "karpenter.sh/nodepool", "zero-spot", "zero-od");
        KarpenterProvider karpenter = new KarpenterProvider();
        karpenter.setNodePoolRoles(List.of(new KarpenterNodePool("zero-spot", NodePoolRole.Spot),
                new KarpenterNodePool("zero-od", NodePoolRole.OnDemand)));
        pool.getSpec().getProvider().setKarpenter(karpenter);
        client().resource(pool).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("karpenter-zero").get();
            assertThat(stored.getStatus()).as("status written").isNotNull();
            assertThat(stored.getStatus().getNodes().getTotal()).isZero();
            assertThat(stored.getStatus().getDesired().getSpot()).isEqualTo(3);
            assertThat(stored.getStatus().getDesired().getOnDemand()).isEqualTo(2);
            assertThat(stored.getStatus().getDesired().getGpusPerNode()).isEqualTo(8);
            assertThat(stored.getStatus().getDesired().getGpusPerNodeFrom()).isEqualTo(GpusPerNodeSource.KarpenterNodePool);
            Condition synced = StatusConditions.condition(stored, "ProviderSynced").orElse(new Condition());
            assertThat(synced.getStatus()).as(synced.getMessage()).isEqualTo("True");
            assertThat(synced.getMessage()).isEqualTo("NodePools zero-spot (Spot), zero-od (OnDemand) allow spot, on-demand.");
            assertThat(StatusConditions.condition(stored, "SpecCurrent").orElse(new Condition()).getStatus()).isEqualTo("True");
            // 6 spot nodes (60% of 10) and 10 nodes in all, of 8 GPUs each
            assertThat(api().kubectl("get", "nodepool", "zero-spot", "-o", "jsonpath={.spec.limits.nvidia\\.com/gpu} "
                    + "{.spec.weight}")).isEqualTo("48 50");
            assertThat(api().kubectl("get", "nodepool", "zero-od", "-o", "jsonpath={.spec.limits.nvidia\\.com/gpu} "
                    + "{.spec.weight}")).isEqualTo("80 10");
        });
    }

    @Test
    void clusterApiMachineDeploymentsAtZeroScaleFromTheirCapacityAnnotations() throws Exception {
        installMachineDeployments();
        for (String name : List.of("capi-zero-spot", "capi-zero-od")) {
            machineDeployment(name, "capacity.cluster-autoscaler.kubernetes.io/gpu-type: nvidia.com/gpu\n"
                    + "    capacity.cluster-autoscaler.kubernetes.io/gpu-count: \"8\"");
        }
        pendingEightGpuPods("capi-zero", DEPLOYMENT_NAME, "capi-zero-spot");
        client().resource(capiPool("capi-zero", "capi-zero-spot", "capi-zero-od")).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("capi-zero").get();
            assertThat(stored.getStatus()).as("status written").isNotNull();
            assertThat(stored.getStatus().getDesired().getGpusPerNodeFrom())
                    .isEqualTo(GpusPerNodeSource.ClusterApiAnnotations);
            Condition synced = StatusConditions.condition(stored, "ProviderSynced").orElse(new Condition());
            assertThat(synced.getMessage()).isEqualTo("Replicas MachineDeployment capi-zero/capi-zero-spot=3, "
                    + "MachineDeployment capi-zero/capi-zero-od=2.");
            assertThat(replicas("capi-zero-spot")).isEqualTo("3");
            assertThat(replicas("capi-zero-od")).isEqualTo("2");
        });
    }

    @Test
    void withTheShapeUnknownNothingIsScaledAndTheConditionNamesTheField() throws Exception {
        installMachineDeployments();
        machineDeployment("capi-unknown", "team: ml");
        pendingEightGpuPods("capi-unknown", DEPLOYMENT_NAME, "capi-unknown");
        client().resource(capiPool("capi-unknown", "capi-unknown", null)).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("capi-unknown").get();
            assertThat(stored.getStatus()).as("status written").isNotNull();
            assertThat(stored.getStatus().getDesired().getGpusPerNodeFrom()).isEqualTo(GpusPerNodeSource.Unknown);
            Condition synced = StatusConditions.condition(stored, "ProviderSynced").orElse(new Condition());
            assertThat(synced.getStatus()).isEqualTo("False");
            assertThat(synced.getReason()).isEqualTo("NodeShapeUnknown");
            assertThat(synced.getMessage()).isEqualTo("GPUs per node are unknown, so no replicas were set: the pool "
                    + "has no node yet and neither spec.nodeShape nor the targets' annotation "
                    + "capacity.cluster-autoscaler.kubernetes.io/gpu-count state it; set spec.nodeShape.gpusPerNode or "
                    + "spec.nodeShape.instanceType.");
        });
        assertThat(replicas("capi-unknown")).isEqualTo("0");

        // the user states the shape: the same pool now scales from zero
        client().resources(GpuPool.class).withName("capi-unknown").edit(pool -> {
            NodeShape shape = new NodeShape();
            shape.setGpusPerNode(8);
            pool.getSpec().setNodeShape(shape);
            return pool;
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(replicas("capi-unknown")).isEqualTo("5"));
    }

    @Test
    void aPoolTargetingCoreDnsIsRefusedAndCoreDnsIsUntouched() throws Exception {
        client().resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build())
                .serverSideApply();
        client().resource(GpuFixtures.deployment("kube-system", "coredns", 2)).create();
        String before = client().apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getMetadata().getResourceVersion();
        GpuPool pool = capiPool("hold-dns", "unused", null);
        ScaleTargetReference dns = pool.getSpec().getProvider().getScaleTargets().getSpot();
        dns.setApiVersion("apps/v1");
        dns.setKind("Deployment");
        dns.setNamespace("kube-system");
        dns.setName("coredns");
        pool.getSpec().getCapacity().setMaxNodes(0);
        client().resource(pool).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Condition synced = StatusConditions.condition(client().resources(GpuPool.class).withName("hold-dns").get(),
                    "ProviderSynced").orElse(new Condition());
            assertThat(synced.getStatus()).isEqualTo("False");
            assertThat(synced.getReason()).isEqualTo("ScaleTargetKindNotAllowed");
            assertThat(synced.getMessage()).isEqualTo("apps/v1 Deployment kube-system/coredns "
                    + "(spec.provider.scaleTargets.spot) is not a kind GpuPools may scale: only Cluster API "
                    + "MachineDeployment, MachinePool and MachineSet (cluster.x-k8s.io) and the kinds listed in the "
                    + "operator setting finops.scale-targets.allowed-kinds (chart value scaleTargets.allowedKinds) "
                    + "are; nothing was scaled.");
            assertThat(poolEvents("hold-dns", "ScaleTargetKindNotAllowed")).extracting(Event::getType)
                    .containsOnly("Warning");
        });
        var coredns = client().apps().deployments().inNamespace("kube-system").withName("coredns").get();
        assertThat(coredns.getSpec().getReplicas()).isEqualTo(2);
        assertThat(coredns.getMetadata().getResourceVersion()).isEqualTo(before);
    }

    private static final String DEPLOYMENT_NAME = "cluster.x-k8s.io/deployment-name";

    /** Five unschedulable pods of 8 GPUs each that can only land on nodes labelled {@code key=value}. */
    private static void pendingEightGpuPods(String prefix, String key, String value) {
        for (int i = 0; i < 5; i++) {
            client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                    .withName(prefix + "-trainer-" + i).endMetadata().withNewSpec().addToNodeSelector(key, value)
                    .addNewContainer().withName("train").withImage("registry.example/train:1").withNewResources()
                    .addToLimits("nvidia.com/gpu", new Quantity("8")).endResources().endContainer().endSpec().build())
                    .create();
        }
    }

    /** A SpotFirst pool of at most 10 nodes, 60% spot, over the nodes labelled {@code key} in {@code values}. */
    private static GpuPool zeroPool(String name, String key, String... values) {
        GpuPool pool = GpuFixtures.spotFirstKarpenterPool(name, values[0], values[values.length - 1], 10, COOLDOWN);
        pool.getSpec().setNodeSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey(key)
                .withOperator("In").withValues(values).endMatchExpression().build());
        pool.getSpec().getCapacity().setMaxSpotPercent(60);
        return pool;
    }

    private static GpuPool capiPool(String name, String spot, String onDemand) {
        GpuPool pool = onDemand == null ? zeroPool(name, DEPLOYMENT_NAME, spot) : zeroPool(name, DEPLOYMENT_NAME, spot,
                onDemand);
        ScaleTargets targets = new ScaleTargets();
        targets.setSpot(machineDeploymentTarget(spot));
        targets.setOnDemand(onDemand == null ? null : machineDeploymentTarget(onDemand));
        Provider provider = new Provider();
        provider.setScaleTargets(targets);
        pool.getSpec().setProvider(provider);
        return pool;
    }

    private static ScaleTargetReference machineDeploymentTarget(String name) {
        ScaleTargetReference target = new ScaleTargetReference();
        target.setApiVersion("cluster.x-k8s.io/v1beta1");
        target.setKind("MachineDeployment");
        target.setNamespace(CAPI_NAMESPACE);
        target.setName(name);
        return target;
    }

    private static final String CAPI_NAMESPACE = "capi-zero";

    private static void installMachineDeployments() {
        ProviderCrds.install(client(), ProviderCrds.MACHINEDEPLOYMENTS);
        client().resource(new NamespaceBuilder().withNewMetadata().withName(CAPI_NAMESPACE).endMetadata().build())
                .serverSideApply();
    }

    private static void machineDeployment(String name, String annotations) throws Exception {
        applyYaml("""
                apiVersion: cluster.x-k8s.io/v1beta1
                kind: MachineDeployment
                metadata:
                  name: %1$s
                  namespace: %2$s
                  annotations:
                    %3$s
                spec:
                  clusterName: gpu-cluster
                  replicas: 0
                  selector:
                    matchLabels: {pool: %1$s}
                  template:
                    metadata:
                      labels: {pool: %1$s}
                    spec:
                      clusterName: gpu-cluster
                      version: v1.34.0
                      bootstrap: {dataSecretName: gpu-bootstrap}
                      infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: AWSMachineTemplate, name: %1$s}
                """.formatted(name, CAPI_NAMESPACE, annotations));
    }

    private static String replicas(String machineDeployment) {
        return api().kubectl("get", "machinedeployment", "-n", CAPI_NAMESPACE, machineDeployment, "-o",
                "jsonpath={.spec.replicas}");
    }

    private static void applyYaml(String yaml) throws Exception {
        Path file = Files.createTempFile("provider-", ".yaml");
        Files.writeString(file, yaml);
        api().kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
        Files.delete(file);
    }

    private static List<Event> poolEvents(String pool, String reason) {
        return client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pool.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    /** Records every change of SpotFallbackActive; true while the pool is off the fallback and its NodePool on spot. */
    private static boolean backOnSpot(AtomicBoolean last, List<String> transitions) {
        boolean active = "True".equals(condition("SpotFallbackActive").getStatus());
        if (active != last.getAndSet(active)) {
            transitions.add(active ? "on-demand" : "spot");
        }
        return !active && "spot".equals(capacityTypes(SPOT_POOL));
    }

    private static void installNodePools() throws Exception {
        ProviderCrds.install(client(), ProviderCrds.NODEPOOLS);
        for (String[] nodePool : List.of(new String[] {SPOT_POOL, "spot"},
                new String[] {ON_DEMAND_POOL, "on-demand"})) {
            Path file = Files.createTempFile("nodepool-", ".yaml");
            Files.writeString(file, GpuFixtures.karpenterNodePool(nodePool[0], nodePool[1]));
            api().kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
            Files.delete(file);
        }
    }

    private static GpuPool stored() {
        return client().resources(GpuPool.class).withName("storm").get();
    }

    private static Condition condition(String type) {
        return StatusConditions.condition(stored(), type).orElse(new Condition());
    }

    private static String capacityTypes(String nodePool) {
        return api().kubectl("get", "nodepool", nodePool, "-o",
                "jsonpath={.spec.template.spec.requirements[?(@.key==\"karpenter.sh/capacity-type\")].values[*]}");
    }

    private static List<Event> events(String reason) {
        return client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "storm".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    private static RealApiServer api() {
        return RealApiServerResource.api();
    }

    private static KubernetesClient client() {
        return api().client();
    }

    private static GpuPool pool() {
        return GpuFixtures.spotFirstKarpenterPool("storm", SPOT_POOL, ON_DEMAND_POOL, 10, COOLDOWN);
    }
}
