package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.model.PendingPod;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolDemandTest {

    static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    static final LabelSelector POOL = new LabelSelectorBuilder()
            .addNewMatchExpression().withKey("karpenter.sh/nodepool").withOperator("In")
            .withValues("gpu-spot", "gpu-on-demand").endMatchExpression()
            .addToMatchLabels("team", "ml").build();

    static GpuNode node(String name, int gpus) {
        return new GpuNode(name, Map.of(), "p4d.24xlarge", CapacityType.SPOT,
                new NodeGpus(gpus, gpus, Map.of()));
    }

    static GpuPod pod(String name, String node, long gpus, Instant start, Instant end) {
        return new GpuPod(name, "ns", name, Map.of(), node, null, null, start, end, Map.of("nvidia.com/gpu", gpus));
    }

    static NodeSelectorRequirement in(String key, String... values) {
        return new NodeSelectorRequirement(key, "In", List.of(values));
    }

    @Test
    void runningPodsOnThePoolsNodesCountFinishedAndForeignOnesDoNot() {
        List<GpuNode> nodes = List.of(node("n1", 8), node("n2", 8));
        List<GpuPod> pods = List.of(
                pod("a", "n1", 3, NOW.minusSeconds(60), null),
                pod("b", "n1", 2, NOW.minusSeconds(60), null),
                pod("c", "n2", 8, NOW.minusSeconds(60), null),
                pod("done", "n2", 4, NOW.minusSeconds(60), NOW.minusSeconds(1)),
                pod("elsewhere", "other", 4, NOW.minusSeconds(60), null),
                pod("notStarted", "n2", 4, null, null));
        assertThat(PoolDemand.runningGpus(nodes, pods, NOW)).isEqualTo(13);
    }

    @Test
    void pendingPodsCountOnlyWhenTheyCanLandNowhereElse() {
        List<PendingPod> pending = List.of(
                new PendingPod("bySelector", 4, Map.of("karpenter.sh/nodepool", "gpu-spot"), List.of()),
                new PendingPod("byTeam", 1, Map.of("team", "ml"), List.of()),
                new PendingPod("otherPool", 8, Map.of("karpenter.sh/nodepool", "cpu"), List.of()),
                new PendingPod("anywhere", 8, Map.of(), List.of()),
                new PendingPod("byAffinity", 2, Map.of(),
                        List.of(List.of(in("karpenter.sh/nodepool", "gpu-spot", "gpu-on-demand")))),
                new PendingPod("affinityWiderThanPool", 16, Map.of(),
                        List.of(List.of(in("karpenter.sh/nodepool", "gpu-spot", "cpu")))),
                new PendingPod("oneTermElsewhere", 32, Map.of(),
                        List.of(List.of(in("karpenter.sh/nodepool", "gpu-spot")), List.of(in("zone", "a")))));
        assertThat(PoolDemand.pendingGpus(pending, POOL)).isEqualTo(7);
    }

    @Test
    void aPoolAtZeroNodesHasTheDemandOfThePendingPodsBoundToIt() {
        List<PendingPod> pending = List.of(
                new PendingPod("t0", 8, Map.of("karpenter.sh/nodepool", "gpu-spot"), List.of()),
                new PendingPod("t1", 8, Map.of("karpenter.sh/nodepool", "gpu-spot"), List.of()),
                new PendingPod("t2", 8, Map.of("karpenter.sh/nodepool", "gpu-on-demand"), List.of()),
                new PendingPod("t3", 8, Map.of("team", "ml"), List.of()),
                new PendingPod("t4", 8, Map.of(), List.of(List.of(in("karpenter.sh/nodepool", "gpu-spot")))));
        assertThat(PoolDemand.gpus(List.of(), List.of(), pending, POOL, NOW)).isEqualTo(40);
    }
}
