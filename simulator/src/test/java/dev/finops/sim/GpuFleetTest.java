package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuFleetTest {

    private static final String GPU = SimulatorLabels.GPU_RESOURCE;

    private static NodeGpuLayout eightGpus(String node) {
        return NodeGpuLayout.of(node, "NVIDIA A100-SXM4-40GB", 40, Map.of(GPU, 8), 1);
    }

    private static List<Integer> indices(GpuFleet fleet, String uid) {
        return fleet.slotsOf(uid).orElseThrow().stream().map(GpuSlot::gpuIndex).toList();
    }

    @Test
    void podsGetTheLowestFreeGpusAndKeepThemAcrossUpdates() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(eightGpus("n"));
        fleet.upsertPod(TestPods.demand("a", "n", 2));
        fleet.upsertPod(TestPods.demand("b", "n", 3));

        assertThat(indices(fleet, "a")).containsExactly(0, 1);
        assertThat(indices(fleet, "b")).containsExactly(2, 3, 4);

        // the same pod seen again (every status update) keeps its GPUs; so does a node status update
        fleet.upsertPod(TestPods.demand("a", "n", 2));
        fleet.upsertNode(eightGpus("n"));
        assertThat(indices(fleet, "a")).containsExactly(0, 1);
        assertThat(indices(fleet, "b")).containsExactly(2, 3, 4);
    }

    @Test
    void aFinishedPodFreesItsGpusForTheNextPodWithoutMovingOthers() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(eightGpus("n"));
        fleet.upsertPod(TestPods.demand("a", "n", 2));
        fleet.upsertPod(TestPods.demand("b", "n", 2));

        fleet.removePod("a");
        fleet.upsertPod(TestPods.demand("c", "n", 3));

        assertThat(indices(fleet, "b")).containsExactly(2, 3);
        assertThat(indices(fleet, "c")).containsExactly(0, 1, 4);
        assertThat(fleet.allocatedSlots()).isEqualTo(5);
    }

    @Test
    void podsSeenBeforeTheirNodeGetGpusWhenTheNodeAppears() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertPod(TestPods.demand("a", "late", 1));
        assertThat(fleet.slotsOf("a")).isEmpty();

        fleet.upsertNode(eightGpus("late"));

        assertThat(indices(fleet, "a")).containsExactly(0);
    }

    @Test
    void aDeletedNodeDisappearsFromTheSeries() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(eightGpus("n1"));
        fleet.upsertNode(eightGpus("n2"));
        fleet.upsertPod(TestPods.demand("a", "n1", 1));

        fleet.removeNode("n1");

        assertThat(fleet.series(new UtilisationModel(), Instant.EPOCH))
                .extracting(GpuSeries::hostname).containsOnly("n2").hasSize(8);
    }

    @Test
    void onlyRunningPodsWithAStartTimeHoldGpus() {
        assertThat(PodGpuDemand.of(TestPods.pod("u", "ns", "p", "n", "Pending", null, GPU, 1, "w"))).isEmpty();
        assertThat(PodGpuDemand.of(TestPods.pod("u", "ns", "p", "n", "Running", null, GPU, 1, "w"))).isEmpty();
        assertThat(PodGpuDemand.of(TestPods.pod("u", "ns", "p", "n", "Succeeded", "2025-11-29T10:00:00Z", GPU, 1, "w")))
                .isEmpty();
        assertThat(PodGpuDemand.of(TestPods.pod("u", "ns", "p", "n", "Running", "2025-11-29T10:00:00Z", "cpu", 1, "w")))
                .isEmpty();
        assertThat(PodGpuDemand.of(TestPods.running("u", "ns", "p", "n", GPU, 2, "w")))
                .hasValueSatisfying(d -> {
                    assertThat(d.workload()).isEqualTo(new WorkloadKey("ns", "w"));
                    assertThat(d.containers()).containsExactly(new PodGpuDemand.ContainerDemand("main", GPU, 2));
                });
    }

    @Test
    void timeSlicedReplicasSpreadOverGpusBeforeSharing() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(NodeGpuLayout.of("ts", "NVIDIA L40S", 0, Map.of(GPU, 16), 4));
        for (String uid : List.of("a", "b", "c", "d", "e")) {
            fleet.upsertPod(TestPods.demand(uid, "ts", 1));
        }
        assertThat(List.of("a", "b", "c", "d", "e")).extracting(uid -> indices(fleet, uid).get(0))
                .containsExactly(0, 1, 2, 3, 0);
    }

    @Test
    void migPodsGetInstancesOfTheirProfile() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(NodeGpuLayout.of("mig", "NVIDIA H100 80GB HBM3", 80,
                Map.of("nvidia.com/mig-1g.10gb", 14, "nvidia.com/mig-3g.40gb", 2), 1));
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("big", "v", "seg", "mig", "nvidia.com/mig-3g.40gb", 1, "s"))
                .orElseThrow());
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("small", "v", "det", "mig", "nvidia.com/mig-1g.10gb", 2, "d"))
                .orElseThrow());

        assertThat(fleet.slotsOf("big").orElseThrow()).singleElement()
                .satisfies(s -> {
                    assertThat(s.gpuIndex()).isEqualTo(2);
                    assertThat(s.mig().name()).isEqualTo("3g.40gb");
                    assertThat(s.gpuInstanceId()).isEqualTo(1);
                });
        assertThat(fleet.slotsOf("small").orElseThrow()).extracting(GpuSlot::gpuIndex, GpuSlot::gpuInstanceId)
                .containsExactly(tuple(0, 7), tuple(0, 8));
    }
}
