package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DcgmExpositionTest {

    private static final Instant NOW = Instant.parse("2025-11-29T10:00:00Z");

    @Test
    void rendersDcgmExporterTextExactly() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(NodeGpuLayout.of("node-a", "NVIDIA A100-SXM4-40GB", 40,
                Map.of(SimulatorLabels.GPU_RESOURCE, 2), 1));
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("u1", "ml", "trainer-0", "node-a",
                SimulatorLabels.GPU_RESOURCE, 1, "trainer")).orElseThrow());
        UtilisationModel model = new UtilisationModel();
        model.set("ml", "trainer", UtilisationProfile.constant(0.85));

        String text = DcgmExposition.render(fleet.series(model, NOW));

        String gpu0 = "gpu=\"0\",UUID=\"" + GpuDevice.of("node-a", 0).uuid()
                + "\",pci_bus_id=\"00000000:10:00.0\",device=\"nvidia0\",modelName=\"NVIDIA A100-SXM4-40GB\","
                + "Hostname=\"node-a\",container=\"main\",namespace=\"ml\",pod=\"trainer-0\"";
        String gpu1 = "gpu=\"1\",UUID=\"" + GpuDevice.of("node-a", 1).uuid()
                + "\",pci_bus_id=\"00000000:20:00.0\",device=\"nvidia1\",modelName=\"NVIDIA A100-SXM4-40GB\","
                + "Hostname=\"node-a\",container=\"\",namespace=\"\",pod=\"\"";
        assertThat(text).isEqualTo("""
                # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
                # TYPE DCGM_FI_DEV_GPU_UTIL gauge
                DCGM_FI_DEV_GPU_UTIL{GPU0} 85
                DCGM_FI_DEV_GPU_UTIL{GPU1} 0
                # HELP DCGM_FI_PROF_GR_ENGINE_ACTIVE Ratio of time the graphics engine is active.
                # TYPE DCGM_FI_PROF_GR_ENGINE_ACTIVE gauge
                DCGM_FI_PROF_GR_ENGINE_ACTIVE{GPU0} 0.850000
                DCGM_FI_PROF_GR_ENGINE_ACTIVE{GPU1} 0.000000
                """.replace("GPU0", gpu0).replace("GPU1", gpu1));
    }

    @Test
    void uuidIsStablePerNodeAndIndexAndLooksLikeNvidias() {
        assertThat(GpuDevice.of("node-a", 3)).isEqualTo(GpuDevice.of("node-a", 3));
        assertThat(GpuDevice.of("node-a", 3).uuid()).isNotEqualTo(GpuDevice.of("node-b", 3).uuid())
                .matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void escapesBackslashQuoteAndNewlineInLabelValues() {
        GpuSeries series = new GpuSeries("node\"x", GpuDevice.of("n", 0), "Model \\ \"Q\"\nline2",
                GpuSlot.whole(0), new GpuHolder("ns", "p", "c", new WorkloadKey("ns", "w")), 0.5);

        String text = DcgmExposition.render(List.of(series));

        assertThat(text).contains("modelName=\"Model \\\\ \\\"Q\\\"\\nline2\"")
                .contains("Hostname=\"node\\\"x\"")
                .contains("} 50\n").contains("} 0.500000\n");
        assertThat(text.lines()).hasSize(6);
    }

    @Test
    void migInstancesCarryProfileAndInstanceIdAndHaveNoGpuUtil() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(NodeGpuLayout.of("mig", "NVIDIA H100 80GB HBM3", 80,
                Map.of("nvidia.com/mig-3g.40gb", 2), 1));
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("u1", "v", "seg-0", "mig", "nvidia.com/mig-3g.40gb", 1,
                "seg")).orElseThrow());
        UtilisationModel model = new UtilisationModel();
        model.set("v", "seg", UtilisationProfile.constant(0.7));

        String text = DcgmExposition.render(fleet.series(model, NOW));

        assertThat(text.lines().filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{"))).isEmpty();
        assertThat(text.lines().filter(l -> l.startsWith("DCGM_FI_PROF_GR_ENGINE_ACTIVE{")))
                .containsExactly(
                        "DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"0\",UUID=\"" + GpuDevice.of("mig", 0).uuid()
                                + "\",pci_bus_id=\"00000000:10:00.0\",device=\"nvidia0\",modelName=\"NVIDIA H100 80GB HBM3\","
                                + "GPU_I_PROFILE=\"3g.40gb\",GPU_I_ID=\"1\",Hostname=\"mig\",container=\"main\","
                                + "namespace=\"v\",pod=\"seg-0\"} 0.700000",
                        "DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"0\",UUID=\"" + GpuDevice.of("mig", 0).uuid()
                                + "\",pci_bus_id=\"00000000:10:00.0\",device=\"nvidia0\",modelName=\"NVIDIA H100 80GB HBM3\","
                                + "GPU_I_PROFILE=\"3g.40gb\",GPU_I_ID=\"2\",Hostname=\"mig\",container=\"\","
                                + "namespace=\"\",pod=\"\"} 0.000000");
        assertThat(text).startsWith("# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n"
                + "# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n# HELP DCGM_FI_PROF_GR_ENGINE_ACTIVE");
    }

    @Test
    void timeSlicedGpuHasOneSeriesPerSharingPodWithVgpuLabelAndTheGpusTotalUtilisation() {
        GpuFleet fleet = new GpuFleet();
        // One physical GPU advertised 4 times.
        fleet.upsertNode(NodeGpuLayout.of("ts", "NVIDIA L40S", 0, Map.of(SimulatorLabels.GPU_RESOURCE, 4), 4));
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("u1", "r", "a", "ts", SimulatorLabels.GPU_RESOURCE, 1, "a"))
                .orElseThrow());
        fleet.upsertPod(PodGpuDemand.of(TestPods.running("u2", "r", "b", "ts", SimulatorLabels.GPU_RESOURCE, 1, "b"))
                .orElseThrow());
        UtilisationModel model = new UtilisationModel();
        model.set("r", "a", UtilisationProfile.constant(0.3));
        model.set("r", "b", UtilisationProfile.constant(0.2));

        List<String> util = DcgmExposition.render(fleet.series(model, NOW)).lines()
                .filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{")).toList();

        assertThat(util).hasSize(2);
        assertThat(util.get(0)).contains("pod=\"a\",vgpu=\"0\"} 50");
        assertThat(util.get(1)).contains("pod=\"b\",vgpu=\"1\"} 50");
    }

    @Test
    void unusedTimeSlicedGpuIsOneEmptySeries() {
        GpuFleet fleet = new GpuFleet();
        fleet.upsertNode(NodeGpuLayout.of("ts", "NVIDIA L40S", 0, Map.of(SimulatorLabels.GPU_RESOURCE, 8), 4));

        List<String> util = DcgmExposition.render(fleet.series(new UtilisationModel(), NOW)).lines()
                .filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{")).toList();

        assertThat(util).hasSize(2).allSatisfy(l -> assertThat(l).endsWith("container=\"\",namespace=\"\",pod=\"\"} 0"));
    }
}
