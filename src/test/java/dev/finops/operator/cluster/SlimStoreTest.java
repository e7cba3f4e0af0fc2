package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class SlimStoreTest {

    /** A real-shaped Deployment pod: managedFields, env, volumes, tolerations, conditions (4.5 KB of JSON). */
    private static Pod runningGpuPod() throws IOException {
        try (InputStream json = SlimStoreTest.class.getResourceAsStream("/cluster/running-gpu-pod.json")) {
            return Serialization.unmarshal(json, Pod.class);
        }
    }

    @Test
    void keepsOnlyGpuPodsAndOfThemWhatTheCostModelReadsSoTheyMapToTheSameGpuPod() throws IOException {
        SlimStore<Pod> store = SlimStore.gpuPods();
        Pod running = runningGpuPod();
        Pod finishedMig = new PodBuilder().withNewMetadata().withName("sweep-1-abcde").withNamespace("ml").withUid("u2")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName("sweep-1")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("gpu-node-2").addNewContainer().withName("main").withNewResources()
                .addToRequests("nvidia.com/mig-3g.40gb", new Quantity("1")).endResources().endContainer()
                .addNewContainer().withName("sidecar").withImage("envoy").endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").withStartTime("2026-11-29T10:00:00Z")
                .addNewContainerStatus().withName("main").withState(new ContainerStateBuilder().withNewTerminated()
                        .withFinishedAt("2026-11-29T10:42:13Z").withExitCode(0).endTerminated().build())
                .endContainerStatus().endStatus().build();
        Pod cpuOnly = new PodBuilder().withNewMetadata().withName("web").withNamespace("ml").withUid("u3").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withNewResources()
                .addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec().build();

        for (Pod pod : new Pod[] {running, finishedMig, cpuOnly}) {
            store.put(store.getKey(pod), pod);
        }

        assertThat(store.size()).as("the CPU-only pod is not kept").isEqualTo(2);
        assertThat(store.get("ml/web")).isNull();
        for (Pod pod : new Pod[] {running, finishedMig}) {
            Pod kept = store.get(store.getKey(pod));
            assertThat(ClusterMapping.gpuPod(kept)).isEqualTo(ClusterMapping.gpuPod(pod)).isPresent();
            assertThat(kept.getMetadata().getResourceVersion()).isEqualTo(pod.getMetadata().getResourceVersion());
        }
        Pod kept = store.get(store.getKey(running));
        assertThat(kept.getMetadata().getManagedFields()).isEmpty();
        assertThat(kept.getSpec().getVolumes()).isEmpty();
        assertThat(Serialization.asJson(kept).length()).as("bytes kept of " + Serialization.asJson(running).length())
                .isLessThan(Serialization.asJson(running).length() / 3);
    }

    @Test
    void aPodThatStopsAskingForGpusLeavesTheStore() throws IOException {
        SlimStore<Pod> store = SlimStore.gpuPods();
        Pod pod = runningGpuPod();
        store.put(store.getKey(pod), pod);
        Pod resized = new PodBuilder(pod).editSpec().editFirstContainer().editResources()
                .removeFromRequests("nvidia.com/gpu").removeFromLimits("nvidia.com/gpu").endResources()
                .endContainer().endSpec().build();

        assertThat(store.put(store.getKey(resized), resized)).as("the previous version is returned").isNotNull();
        assertThat(store.size()).isZero();
    }

    /**
     * Unscheduled pods come from the same slim store as the cost model's (no second, whole, unpaged informer of
     * every pod without a node): a pending CPU pod is not kept at all, a pending GPU pod keeps where it may land, so
     * it maps to the same GpuPool demand, and loses it once bound.
     */
    @Test
    void pendingPodsAreKeptOnlyWhenTheyAskForGpusWithWhereTheyMayLandUntilBound() throws IOException {
        SlimStore<Pod> store = SlimStore.gpuPods();
        Pod pending = new PodBuilder(runningGpuPod()).editSpec().withNodeName(null)
                .addToNodeSelector("karpenter.sh/nodepool", "gpu-spot")
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("node.kubernetes.io/instance-type")
                .withOperator("In").withValues("p4d.24xlarge").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .withNewPodAntiAffinity().endPodAntiAffinity().endAffinity().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        Pod pendingCpu = new PodBuilder().withNewMetadata().withName("etl").withNamespace("ml").withUid("u9")
                .endMetadata().withNewSpec().addNewContainer().withName("etl").withNewResources()
                .addToRequests("cpu", new Quantity("4")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();

        store.put(store.getKey(pending), pending);
        store.put(store.getKey(pendingCpu), pendingCpu);

        assertThat(store.size()).as("a pending pod without GPUs is not kept").isEqualTo(1);
        Pod kept = store.get(store.getKey(pending));
        assertThat(ClusterMapping.pendingPod(kept)).isEqualTo(ClusterMapping.pendingPod(pending)).isPresent();
        assertThat(kept.getSpec().getAffinity().getPodAntiAffinity()).as("only node affinity is read").isNull();

        Pod bound = new PodBuilder(pending).editSpec().withNodeName("gpu-node-1").endSpec().build();
        store.put(store.getKey(bound), bound);
        assertThat(store.get(store.getKey(bound)).getSpec().getNodeSelector()).as("read only while pending")
                .isNullOrEmpty();
        assertThat(ClusterMapping.pendingPod(store.get(store.getKey(bound)))).isEmpty();
    }

    @Test
    void nodesKeepTheirLabelsTaintsAndResourcesOnly() {
        Node node = new NodeBuilder().withNewMetadata().withName("gpu-1").withUid("n1").withResourceVersion("7")
                .addToLabels("node.kubernetes.io/instance-type", "p4d.24xlarge")
                .addToLabels("karpenter.sh/capacity-type", "spot").addToAnnotations("big", "x".repeat(10_000))
                .endMetadata()
                .withNewSpec().addNewTaint().withKey("karpenter.sh/disrupted").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus().addToCapacity("nvidia.com/gpu", new Quantity("8"))
                .addToAllocatable("nvidia.com/gpu", new Quantity("8"))
                .addNewImage().withNames("registry.example/huge:1").withSizeBytes(1L << 30).endImage()
                .withNewNodeInfo().withKubeletVersion("v1.34.4").endNodeInfo().endStatus().build();
        SlimStore<Node> store = SlimStore.nodes();

        store.put(store.getKey(node), node);

        Node kept = store.get("gpu-1");
        assertThat(ClusterMapping.node(kept)).isEqualTo(ClusterMapping.node(node));
        assertThat(kept.getSpec().getTaints()).isEqualTo(node.getSpec().getTaints());
        assertThat(kept.getMetadata().getAnnotations()).isEmpty();
        assertThat(kept.getStatus().getImages()).isEmpty();
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
    }
}
