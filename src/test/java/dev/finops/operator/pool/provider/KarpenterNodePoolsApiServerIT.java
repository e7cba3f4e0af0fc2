package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import dev.finops.operator.api.Provider;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.CapacityPlanner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our NodePool patches against the real karpenter.sh/v1 CRD: accepted, minimal, and never clobbering. */
class KarpenterNodePoolsApiServerIT {

    private static RealApiServer api;

    @BeforeAll
    static void startApiServer() {
        api = RealApiServer.start();
        ProviderCrds.install(api.client(), ProviderCrds.NODEPOOLS);
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    /** A NodePool as a platform team writes it, with its own field manager. */
    static void platformTeamApplies(String name, String capacityTypes) throws Exception {
        Path file = Files.createTempFile("nodepool-", ".yaml");
        Files.writeString(file, """
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata:
                  name: %s
                  labels: {team: platform}
                spec:
                  disruption:
                    consolidationPolicy: WhenEmpty
                    consolidateAfter: 5m
                  limits:
                    cpu: "1000"
                  template:
                    metadata:
                      labels: {gpu: "true"}
                    spec:
                      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                      expireAfter: 720h
                      taints:
                        - {key: nvidia.com/gpu, effect: NoSchedule}
                      requirements:
                        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [p4d, p5]}
                        - {key: karpenter.sh/capacity-type, operator: In, values: [%s]}
                        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
                """.formatted(name, capacityTypes));
        api.kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
        Files.delete(file);
    }

    static GpuPool pool(String... nodePools) {
        KarpenterProvider karpenter = new KarpenterProvider();
        karpenter.setNodePools(List.of(nodePools));
        Provider provider = new Provider();
        provider.setKarpenter(karpenter);
        GpuPoolSpec spec = new GpuPoolSpec();
        spec.setProvider(provider);
        GpuPool pool = new GpuPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("training").build());
        pool.setSpec(spec);
        return pool;
    }

    static CapacityPlan plan(boolean fallback) {
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.SpotFirst);
        capacity.setMaxNodes(16);
        capacity.setMaxSpotPercent(75);
        return CapacityPlanner.plan(new CapacityPlanner.Demand(24, 8), capacity, fallback);
    }

    static GenericKubernetesResource get(String name) {
        return api.client().genericKubernetesResources(KarpenterNodePools.API_VERSION, KarpenterNodePools.KIND)
                .withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource nodePool) {
        return (Map<String, Object>) nodePool.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> requirements(GenericKubernetesResource nodePool) {
        Map<String, Object> template = (Map<String, Object>) spec(nodePool).get("template");
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("requirements");
    }

    static Object requirement(GenericKubernetesResource nodePool, String key) {
        return requirements(nodePool).stream().filter(r -> key.equals(r.get("key"))).findFirst()
                .map(r -> r.get("values")).orElse(null);
    }

    @Test
    void spotAndOnDemandNodePoolsAreSteeredAndForeignFieldsSurvive() throws Exception {
        platformTeamApplies("gpu-spot", "spot, on-demand");
        platformTeamApplies("gpu-on-demand", "on-demand");
        KarpenterNodePools provider = new KarpenterNodePools(api.client());

        SyncResult first = provider.sync(pool("gpu-spot", "gpu-on-demand"), plan(false));

        assertThat(first.synced()).as(first.message()).isTrue();
        assertThat(first.changed()).isTrue();
        GenericKubernetesResource spot = get("gpu-spot");
        GenericKubernetesResource onDemand = get("gpu-on-demand");
        assertThat(requirement(spot, KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("spot"));
        assertThat(requirement(onDemand, KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("on-demand"));
        assertThat(spec(spot).get("weight")).isEqualTo(50);
        assertThat(spec(onDemand).get("weight")).isEqualTo(10);
        assertThat(spec(spot).get("limits")).isEqualTo(Map.of("cpu", "1000", "nvidia.com/gpu", 96));
        assertThat(spec(onDemand).get("limits")).isEqualTo(Map.of("cpu", "1000", "nvidia.com/gpu", 128));
        // everything else is the platform team's, untouched
        for (GenericKubernetesResource nodePool : List.of(spot, onDemand)) {
            assertThat(requirement(nodePool, "karpenter.k8s.aws/instance-family")).isEqualTo(List.of("p4d", "p5"));
            assertThat(requirement(nodePool, "kubernetes.io/arch")).isEqualTo(List.of("amd64"));
            assertThat(spec(nodePool).get("disruption")).isEqualTo(Map.of("consolidationPolicy", "WhenEmpty",
                    "consolidateAfter", "5m", "budgets", List.of(Map.of("nodes", "10%")))); // the CRD's default
            assertThat(nodePool.getMetadata().getLabels()).containsEntry("team", "platform");
            assertThat(api.kubectl("get", "nodepool", nodePool.getMetadata().getName(), "-o",
                    "jsonpath={.spec.template.spec.nodeClassRef.name} {.spec.template.spec.expireAfter} "
                            + "{.spec.template.spec.taints[0].key}")).isEqualTo("gpu 720h nvidia.com/gpu");
            assertThat(managers(nodePool)).containsExactlyInAnyOrder("platform-team", "gpu-finops-operator");
        }
        assertThat(ownedBy(spot, "gpu-finops-operator")).contains("f:weight", "f:nvidia.com/gpu", "f:requirements")
                .doesNotContain("f:cpu", "f:disruption", "f:nodeClassRef");

        SyncResult again = provider.sync(pool("gpu-spot", "gpu-on-demand"), plan(false));
        assertThat(again.changed()).as("a pass with nothing to change writes nothing").isFalse();
        assertThat(get("gpu-spot").getMetadata().getResourceVersion()).isEqualTo(spot.getMetadata().getResourceVersion());

        SyncResult fallback = provider.sync(pool("gpu-spot", "gpu-on-demand"), plan(true));
        assertThat(fallback.changed()).isTrue();
        assertThat(requirement(get("gpu-spot"), KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("on-demand"));
        assertThat(spec(get("gpu-spot")).get("limits")).isEqualTo(Map.of("cpu", "1000", "nvidia.com/gpu", 0));
        assertThat(requirement(get("gpu-on-demand"), KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("on-demand"));
        assertThat(requirement(get("gpu-spot"), "karpenter.k8s.aws/instance-family")).isEqualTo(List.of("p4d", "p5"));
    }

    @Test
    void aSingleNodePoolGetsEveryAllowedCapacityTypeAndKeepsItsWeight() throws Exception {
        platformTeamApplies("gpu-all", "on-demand");
        SyncResult result = new KarpenterNodePools(api.client()).sync(pool("gpu-all"), plan(false));

        assertThat(result.synced()).as(result.message()).isTrue();
        GenericKubernetesResource nodePool = get("gpu-all");
        assertThat(requirement(nodePool, KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("spot", "on-demand"));
        assertThat(spec(nodePool)).doesNotContainKey("weight");
        assertThat(spec(nodePool).get("limits")).isEqualTo(Map.of("cpu", "1000", "nvidia.com/gpu", 128));
    }

    @Test
    void explicitRolesSteerReservedSpotAndOnDemandNodePools() throws Exception {
        platformTeamApplies("role-reserved", "on-demand");
        platformTeamApplies("role-spot", "on-demand");
        platformTeamApplies("role-on-demand", "spot");
        GpuPool pool = pool();
        pool.getSpec().getProvider().getKarpenter().setNodePools(null);
        pool.getSpec().getProvider().getKarpenter().setNodePoolRoles(List.of(
                new KarpenterNodePool("role-reserved", NodePoolRole.Reserved),
                new KarpenterNodePool("role-spot", NodePoolRole.Spot),
                new KarpenterNodePool("role-on-demand", NodePoolRole.OnDemand)));
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.ReservedFirst);
        capacity.setReservedNodes(2);
        capacity.setMaxNodes(16);
        capacity.setMaxSpotPercent(50);
        KarpenterNodePools provider = new KarpenterNodePools(api.client());

        SyncResult result = provider.sync(pool, CapacityPlanner.plan(new CapacityPlanner.Demand(24, 8), capacity, false));

        assertThat(result.message()).isEqualTo("NodePools role-reserved (Reserved), role-spot (Spot), role-on-demand "
                + "(OnDemand) allow reserved, spot, on-demand.");
        assertThat(requirement(get("role-reserved"), KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("reserved"));
        assertThat(requirement(get("role-spot"), KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("spot"));
        assertThat(requirement(get("role-on-demand"), KarpenterNodePools.CAPACITY_TYPE))
                .as("the reservations are the Reserved NodePool's").isEqualTo(List.of("on-demand"));
        assertThat(List.of(spec(get("role-reserved")).get("weight"), spec(get("role-spot")).get("weight"),
                spec(get("role-on-demand")).get("weight"))).isEqualTo(List.of(100, 50, 10));
        assertThat(spec(get("role-spot")).get("limits")).isEqualTo(Map.of("cpu", "1000", "nvidia.com/gpu", 64));
        assertThat(provider.statedShape(pool)).as("instance-family states no GPU count").isEmpty();
    }

    @Test
    void aMissingNodePoolIsReportedByName() throws Exception {
        platformTeamApplies("gpu-present", "spot");
        SyncResult result = new KarpenterNodePools(api.client()).sync(pool("gpu-present", "gpu-absent"), plan(false));

        assertThat(result.synced()).isFalse();
        assertThat(result.reason()).isEqualTo(SyncReason.NodePoolNotFound);
        assertThat(result.message()).isEqualTo("NodePool gpu-absent (karpenter.sh/v1) does not exist; create it or "
                + "fix spec.provider.karpenter.nodePools.");
    }

    @Test
    void anEditBetweenOurReadAndOurApplyIsNeverOverwritten() throws Exception {
        platformTeamApplies("gpu-racy", "on-demand");
        GenericKubernetesResource read = get("gpu-racy");
        platformTeamApplies("gpu-racy", "spot");  // someone else changes the atomic requirements list meanwhile
        KarpenterNodePools provider = new KarpenterNodePools(api.client());
        KarpenterNodePools.Target target = new KarpenterNodePools.Target(List.of("on-demand"), 8L, null);

        assertThatThrownBy(() -> provider.apply(read, target)).isInstanceOf(KubernetesClientException.class)
                .extracting(e -> ((KubernetesClientException) e).getCode()).isEqualTo(409);
        assertThat(requirement(get("gpu-racy"), KarpenterNodePools.CAPACITY_TYPE)).isEqualTo(List.of("spot"));
    }

    private static List<String> managers(GenericKubernetesResource nodePool) {
        return nodePool.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).distinct()
                .toList();
    }

    private static String ownedBy(GenericKubernetesResource nodePool, String manager) {
        return nodePool.getMetadata().getManagedFields().stream().filter(m -> manager.equals(m.getManager()))
                .map(m -> String.valueOf(m.getFieldsV1().getAdditionalProperties())).findFirst().orElse("");
    }
}
