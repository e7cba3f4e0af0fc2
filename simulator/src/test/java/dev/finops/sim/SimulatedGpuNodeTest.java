package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedGpuNodeTest {

    @Test
    void awsKarpenterSpotNodeCarriesKarpenterEksAndGpuFeatureDiscoveryLabels() {
        Node node = SimulatedGpuNode.builder("p4d-0").instanceType(GpuInstanceType.P4D_24XLARGE).spot()
                .nodePool("gpu-spot").zone("us-east-1a").scenario("t").build().toNode();

        assertThat(node.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
                "node.kubernetes.io/instance-type", "p4d.24xlarge",
                "karpenter.sh/capacity-type", "spot",
                "eks.amazonaws.com/capacityType", "SPOT",
                "karpenter.sh/nodepool", "gpu-spot",
                "nvidia.com/gpu.product", "NVIDIA-A100-SXM4-40GB",
                "nvidia.com/gpu.count", "8",
                "kubernetes.io/hostname", "p4d-0",
                "topology.kubernetes.io/zone", "us-east-1a",
                SimulatorLabels.SIMULATED, "true",
                SimulatorLabels.SCENARIO, "t"));
        assertThat(node.getMetadata().getLabels()).doesNotContainKey(SimulatorLabels.GKE_SPOT);
        assertThat(node.getMetadata().getAnnotations()).containsEntry("kwok.x-k8s.io/node", "fake");
        assertThat(node.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("8"));
        assertThat(node.getStatus().getCapacity()).containsEntry("nvidia.com/gpu", new Quantity("8"));
        assertThat(node.getSpec().getTaints()).containsExactly(SimulatedGpuNode.GPU_TAINT);
    }

    @Test
    void gcpSpotNodeCarriesGkeLabelsOnly() {
        Map<String, String> labels = SimulatedGpuNode.builder("l4").instanceType(GpuInstanceType.G2_STANDARD_24)
                .spot().nodePool("l4-spot").build().labels();

        assertThat(labels).containsEntry("cloud.google.com/gke-spot", "true")
                .containsEntry("cloud.google.com/gke-nodepool", "l4-spot")
                .containsEntry("cloud.google.com/gke-accelerator", "nvidia-l4")
                .containsEntry("nvidia.com/gpu.count", "2")
                .doesNotContainKeys("karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType");
        assertThat(SimulatedGpuNode.builder("a2").instanceType(GpuInstanceType.A2_HIGHGPU_1G).onDemand().build()
                .labels()).doesNotContainKey("cloud.google.com/gke-spot");
    }

    @Test
    void reservedAndClusterApiNodes() {
        assertThat(SimulatedGpuNode.builder("r").instanceType(GpuInstanceType.P5_48XLARGE).reserved().build().labels())
                .containsEntry("karpenter.sh/capacity-type", "reserved")
                .containsEntry("eks.amazonaws.com/capacityType", "CAPACITY_BLOCK");
        assertThat(SimulatedGpuNode.builder("c").instanceType(GpuInstanceType.G6E_12XLARGE).spot()
                .clusterApi("inference-gpu-spot").build().labels())
                .containsEntry("cluster.x-k8s.io/deployment-name", "inference-gpu-spot")
                .containsEntry("eks.amazonaws.com/capacityType", "SPOT")
                .doesNotContainKey("karpenter.sh/capacity-type");
    }

    @Test
    void timeSlicedNodeAdvertisesReplicasAndReadsBackAsSharedSlots() {
        Node node = SimulatedGpuNode.builder("ts").instanceType(GpuInstanceType.G6E_12XLARGE).timeSliced(4).build()
                .toNode();

        assertThat(node.getMetadata().getLabels()).containsEntry("nvidia.com/gpu.replicas", "4")
                .containsEntry("nvidia.com/gpu.count", "4");
        assertThat(node.getStatus().getAllocatable()).containsEntry("nvidia.com/gpu", new Quantity("16"));
        NodeGpuLayout layout = NodeGpuLayout.of(node);
        assertThat(layout.gpus()).hasSize(4);
        assertThat(layout.modelName()).isEqualTo("NVIDIA L40S");
        assertThat(layout.slots("nvidia.com/gpu")).hasSize(16).allSatisfy(s -> assertThat(s.isShared()).isTrue());
    }

    @Test
    void migNodeAdvertisesProfilesAndReadsBackAsTheSameGpus() {
        SimulatedGpuNode mig = SimulatedGpuNode.builder("mig").instanceType(GpuInstanceType.P5_48XLARGE).reserved()
                .mig("1g.10gb", 4).mig("3g.40gb", 2).build();
        Node node = mig.toNode();

        assertThat(node.getStatus().getAllocatable())
                .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("28"))
                .containsEntry("nvidia.com/mig-3g.40gb", new Quantity("4"))
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(node.getMetadata().getLabels()).containsEntry("nvidia.com/mig.strategy", "mixed")
                .containsEntry("nvidia.com/mig-1g.10gb.count", "28");
        NodeGpuLayout layout = NodeGpuLayout.of(node);
        assertThat(layout.gpus()).hasSize(8);
        assertThat(layout.modelName()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(layout.slots("nvidia.com/mig-1g.10gb")).extracting(GpuSlot::gpuIndex).containsOnly(0, 1, 2, 3);
        assertThat(layout.slots("nvidia.com/mig-3g.40gb")).extracting(GpuSlot::gpuIndex).containsExactly(4, 4, 5, 5);
        assertThat(layout.slots("nvidia.com/gpu")).extracting(GpuSlot::gpuIndex).containsExactly(6, 7);
    }

    @Test
    void rejectsImpossibleHardware() {
        assertThatThrownBy(() -> SimulatedGpuNode.builder("x").instanceType(GpuInstanceType.G5_XLARGE)
                .mig("1g.10gb", 1).build()).hasMessageContaining("no MIG");
        assertThatThrownBy(() -> SimulatedGpuNode.builder("x").instanceType(GpuInstanceType.P5_48XLARGE)
                .mig("1g.10gb", 9).build()).hasMessageContaining("has 8");
    }

    @Test
    void migInstancesPerGpuFollowComputeAndMemory() {
        assertThat(MigProfile.parse("1g.10gb").instancesPerGpu(80)).isEqualTo(7);
        assertThat(MigProfile.parse("1g.20gb").instancesPerGpu(80)).isEqualTo(4);
        assertThat(MigProfile.parse("2g.20gb").instancesPerGpu(80)).isEqualTo(3);
        assertThat(MigProfile.parse("3g.40gb").instancesPerGpu(80)).isEqualTo(2);
        assertThat(MigProfile.parse("7g.80gb").instancesPerGpu(80)).isEqualTo(1);
        assertThat(MigProfile.parse("1g.10gb").instancesPerGpu(40)).isEqualTo(4);
        assertThat(MigProfile.ofResource("nvidia.com/gpu")).isNull();
    }
}
