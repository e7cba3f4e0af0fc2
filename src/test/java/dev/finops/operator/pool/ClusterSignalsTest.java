package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.cluster.ClusterMapping;
import dev.finops.operator.model.PendingPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How pods and nodes are read into the planner's inputs: pending GPU demand and spot interruption signs. */
class ClusterSignalsTest {

    static Pod pod(String phase, String nodeName, String gpus) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().withNodeName(nodeName).withNodeSelector(Map.of("karpenter.sh/nodepool", "gpu-spot"))
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In")
                .withValues("a").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .addNewContainer().withName("c").withNewResources()
                .withLimits(Map.of("nvidia.com/gpu", new Quantity(gpus))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void anUnscheduledGpuPodIsPendingDemandWithItsNodeConstraints() {
        PendingPod pending = ClusterMapping.pendingPod(pod("Pending", null, "4")).orElseThrow();
        assertThat(pending.gpus()).isEqualTo(4);
        assertThat(pending.nodeSelector()).containsExactly(Map.entry("karpenter.sh/nodepool", "gpu-spot"));
        assertThat(pending.requiredTerms()).hasSize(1);
        assertThat(pending.requiredTerms().get(0).get(0).getKey()).isEqualTo("zone");
    }

    @Test
    void scheduledFinishedOrGpuLessPodsAreNotPendingDemand() {
        assertThat(ClusterMapping.pendingPod(pod("Pending", "node-1", "4"))).isEmpty();
        assertThat(ClusterMapping.pendingPod(pod("Failed", null, "4"))).isEmpty();
        assertThat(ClusterMapping.pendingPod(pod("Pending", null, "0"))).isEmpty();
    }

    static Node node(String... taintKeys) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().endSpec();
        for (String key : taintKeys) {
            builder.editSpec().addNewTaint().withKey(key).withEffect("NoSchedule").endTaint().endSpec();
        }
        return builder.build();
    }

    @Test
    void karpentersAndTheTerminationHandlersTaintsMarkAnInterruption() {
        assertThat(SpotInterruptionWatch.interruptionTainted(node("karpenter.sh/disrupted"))).isTrue();
        assertThat(SpotInterruptionWatch.interruptionTainted(node("aws-node-termination-handler/spot-itn"))).isTrue();
        assertThat(SpotInterruptionWatch.interruptionTainted(node("nvidia.com/gpu", "node.kubernetes.io/not-ready")))
                .isFalse();
        assertThat(SpotInterruptionWatch.interruptionTainted(node())).isFalse();
        assertThat(List.copyOf(SpotInterruptionWatch.INTERRUPTION_TAINTS)).hasSize(2);
    }
}
