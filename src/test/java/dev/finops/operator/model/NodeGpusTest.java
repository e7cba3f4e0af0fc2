package dev.finops.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allocation table: which share of a node's price a pod carries. */
class NodeGpusTest {

    private static final NodeGpus EIGHT_GPUS = NodeGpus.of(Map.of("nvidia.com/gpu", 8L), Map.of());

    @Test
    void wholeNodeAndPartialRequestsShareByGpuCount() {
        assertThat(EIGHT_GPUS.physical()).isEqualTo(8);
        assertThat(EIGHT_GPUS.shareOf(Map.of("nvidia.com/gpu", 8L))).isEqualTo(GpuShare.WHOLE);
        assertThat(EIGHT_GPUS.shareOf(Map.of("nvidia.com/gpu", 2L))).isEqualTo(new GpuShare(1, 4));
        assertThat(EIGHT_GPUS.shareOf(Map.of("nvidia.com/gpu", 3L))).isEqualTo(new GpuShare(3, 8));
    }

    @Test
    void aPodNeverCarriesMoreThanItsNode() {
        assertThat(EIGHT_GPUS.shareOf(Map.of("nvidia.com/gpu", 16L))).isEqualTo(GpuShare.WHOLE);
    }

    @Test
    void aPodWithoutGpusOnAGpuNodeCostsNothing() {
        assertThat(EIGHT_GPUS.shareOf(Map.of())).isEqualTo(GpuShare.ZERO);
        assertThat(EIGHT_GPUS.shareOf(Map.of("cpu", 4L))).isEqualTo(GpuShare.ZERO);
    }

    @Test
    void migProfilesShareByComputeSlicesOfSeven() {
        NodeGpus mig = NodeGpus.of(Map.of("nvidia.com/mig-1g.10gb", 14L, "nvidia.com/mig-3g.40gb", 4L),
                Map.of("nvidia.com/gpu.count", "4"));

        assertThat(mig.physical()).isEqualTo(4);
        assertThat(mig.shareOf(Map.of("nvidia.com/mig-1g.10gb", 1L))).isEqualTo(new GpuShare(1, 28));
        assertThat(mig.shareOf(Map.of("nvidia.com/mig-2g.20gb", 1L))).isEqualTo(new GpuShare(1, 14));
        assertThat(mig.shareOf(Map.of("nvidia.com/mig-3g.40gb", 1L))).isEqualTo(new GpuShare(3, 28));
        assertThat(mig.shareOf(Map.of("nvidia.com/mig-7g.80gb", 1L))).isEqualTo(new GpuShare(1, 4));
    }

    @Test
    void migPhysicalCountFollowsTheSlicesWithoutTheGpuCountLabel() {
        NodeGpus mig = NodeGpus.of(Map.of("nvidia.com/mig-1g.10gb", 7L, "nvidia.com/mig-3g.40gb", 2L), Map.of());

        assertThat(mig.physical()).isEqualTo(2);
    }

    @Test
    void timeSlicedGpusShareByReplica() {
        NodeGpus sliced = NodeGpus.of(Map.of("nvidia.com/gpu", 16L), Map.of("nvidia.com/gpu.replicas", "4"));

        assertThat(sliced.physical()).isEqualTo(4);
        assertThat(sliced.shareOf(Map.of("nvidia.com/gpu", 1L))).isEqualTo(new GpuShare(1, 16));
    }

    @Test
    void aNodeWithoutGpusHasNone() {
        NodeGpus cpu = NodeGpus.of(Map.of("cpu", 96L), Map.of());

        assertThat(cpu.hasGpus()).isFalse();
        assertThat(cpu.shareOf(Map.of("nvidia.com/gpu", 1L))).isEqualTo(GpuShare.ZERO);
    }
}
