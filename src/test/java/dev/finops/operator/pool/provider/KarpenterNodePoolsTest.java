package dev.finops.operator.pool.provider;

import static dev.finops.operator.model.CapacityType.ON_DEMAND;
import static dev.finops.operator.model.CapacityType.RESERVED;
import static dev.finops.operator.model.CapacityType.SPOT;
import static dev.finops.operator.api.NodePoolRole.Any;
import static dev.finops.operator.api.NodePoolRole.OnDemand;
import static dev.finops.operator.api.NodePoolRole.Reserved;
import static dev.finops.operator.api.NodePoolRole.Spot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.StatedShape;
import dev.finops.operator.pool.provider.KarpenterNodePools.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KarpenterNodePoolsTest {

    static final CapacityPlan SPOT_FIRST = new CapacityPlan(3, 2, List.of(RESERVED, SPOT, ON_DEMAND), 12, 16, 8);
    static final CapacityPlan FALLBACK = new CapacityPlan(0, 5, List.of(RESERVED, ON_DEMAND), 0, 16, 8);
    static final CapacityPlan SPOT_ONLY = new CapacityPlan(5, 0, List.of(SPOT), 16, 16, 8);
    static final CapacityPlan UNKNOWN_GPUS = new CapacityPlan(1, 0, List.of(SPOT, ON_DEMAND), 4, 4, 0);

    private static Target target(NodePoolRole role, CapacityPlan plan) {
        return KarpenterNodePools.targetFor(role, false, plan);
    }

    @Test
    void anAnyNodePoolTakesEveryAllowedTypeAndTheWholeLimitButNoWeight() {
        assertThat(target(Any, SPOT_FIRST)).isEqualTo(new Target(List.of("reserved", "spot", "on-demand"), 128L, null));
        assertThat(target(Any, UNKNOWN_GPUS)).isEqualTo(new Target(List.of("spot", "on-demand"), null, null));
    }

    @Test
    void reservedIsTriedFirstThenSpotThenOnDemand() {
        assertThat(target(Reserved, SPOT_FIRST)).isEqualTo(new Target(List.of("reserved"), 128L, 100));
        assertThat(target(Spot, SPOT_FIRST)).isEqualTo(new Target(List.of("spot"), 96L, 50));
        assertThat(target(OnDemand, SPOT_FIRST)).isEqualTo(new Target(List.of("reserved", "on-demand"), 128L, 10));
        assertThat(KarpenterNodePools.targetFor(OnDemand, true, SPOT_FIRST))
                .as("a Reserved NodePool elsewhere takes the reservations").isEqualTo(
                        new Target(List.of("on-demand"), 128L, 10));
    }

    @Test
    void duringTheFallbackTheSpotNodePoolLaunchesNothingAndOnlyOnDemand() {
        assertThat(target(Spot, FALLBACK)).isEqualTo(new Target(List.of("reserved", "on-demand"), 0L, 50));
        assertThat(target(OnDemand, FALLBACK)).isEqualTo(new Target(List.of("reserved", "on-demand"), 128L, 10));
    }

    @Test
    void spotOnlyLeavesTheOnDemandAndReservedNodePoolsEmpty() {
        assertThat(target(OnDemand, SPOT_ONLY)).isEqualTo(new Target(List.of("on-demand"), 0L, 10));
        assertThat(target(Reserved, SPOT_ONLY)).isEqualTo(new Target(List.of("reserved"), 0L, 100));
    }

    @Test
    void theOlderListImpliesRolesByOrder() {
        KarpenterProvider two = new KarpenterProvider();
        two.setNodePools(List.of("gpu-spot", "gpu-on-demand", "gpu-more"));
        assertThat(NodePoolRoles.of(two)).extracting(KarpenterNodePool::getName, KarpenterNodePool::getRole)
                .containsExactly(tuple("gpu-spot", Spot), tuple("gpu-on-demand", OnDemand), tuple("gpu-more", OnDemand));
        assertThat(NodePoolRoles.migration(two)).isEqualTo("nodePoolRoles: [{name: gpu-spot, role: Spot}, "
                + "{name: gpu-on-demand, role: OnDemand}, {name: gpu-more, role: OnDemand}]");
        KarpenterProvider one = new KarpenterProvider();
        one.setNodePools(List.of("gpu"));
        assertThat(NodePoolRoles.of(one)).extracting(KarpenterNodePool::getRole).containsExactly(Any);
        KarpenterProvider explicit = new KarpenterProvider();
        explicit.setNodePoolRoles(List.of(new KarpenterNodePool("a", OnDemand), new KarpenterNodePool("b", Spot)));
        assertThat(NodePoolRoles.of(explicit)).extracting(KarpenterNodePool::getRole).containsExactly(OnDemand, Spot);
        assertThat(NodePoolRoles.field(explicit)).isEqualTo("spec.provider.karpenter.nodePoolRoles");
    }

    @Test
    void theNodePoolsRequirementsStateTheNodeShape() {
        List<Map<String, Object>> gpuCount = List.of(
                Map.of("key", "karpenter.k8s.aws/instance-gpu-count", "operator", "In", "values", List.of("4", "8")),
                Map.of("key", "karpenter.k8s.aws/instance-family", "operator", "In", "values", List.of("p4d")));
        List<Map<String, Object>> types = List.of(Map.of("key", "node.kubernetes.io/instance-type", "operator", "In",
                "values", List.of("g6e.12xlarge", "p5.48xlarge")));
        List<Map<String, Object>> range = List.of(
                Map.of("key", "karpenter.azure.com/sku-gpu-count", "operator", "Gt", "values", List.of("1")));

        assertThat(KarpenterNodeShape.of(List.of(gpuCount))).contains(
                new StatedShape(8, List.of(), GpusPerNodeSource.KarpenterNodePool));
        assertThat(KarpenterNodeShape.of(List.of(types, gpuCount))).contains(new StatedShape(8,
                List.of("g6e.12xlarge", "p5.48xlarge"), GpusPerNodeSource.KarpenterNodePool));
        assertThat(KarpenterNodeShape.of(List.of(range))).as("a range states no figure").isEmpty();
        assertThat(KarpenterNodeShape.of(List.of())).isEmpty();
    }

    @Test
    void limitsAreReadAsQuantities() {
        assertThat(KarpenterNodePools.parseLimit(64)).isEqualTo(64L);
        assertThat(KarpenterNodePools.parseLimit("1k")).isEqualTo(1000L);
        assertThat(KarpenterNodePools.parseLimit(null)).isNull();
        assertThat(KarpenterNodePools.parseLimit("0.5")).isNull();
    }
}
