package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.pool.plan.StatedShape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterApiNodeShapeTest {

    static final String P = "capacity.cluster-autoscaler.kubernetes.io/";

    @Test
    void theScaleFromZeroAnnotationsStateGpusAndTheInstanceType() {
        Map<String, String> spot = Map.of(P + "gpu-type", "nvidia.com/gpu", P + "gpu-count", "4",
                P + "labels", "team=ml, node.kubernetes.io/instance-type=g6e.12xlarge");
        Map<String, String> onDemand = Map.of(P + "gpu-count", "8", P + "cpu", "96", P + "memory", "1152G");

        assertThat(ClusterApiNodeShape.of(List.of(spot, onDemand))).contains(new StatedShape(8,
                List.of("g6e.12xlarge"), GpusPerNodeSource.ClusterApiAnnotations));
    }

    @Test
    void anotherVendorsGpusMalformedCountsAndNoAnnotationsStateNothing() {
        assertThat(ClusterApiNodeShape.of(List.of(Map.of(P + "gpu-type", "amd.com/gpu", P + "gpu-count", "8"))))
                .isEmpty();
        assertThat(ClusterApiNodeShape.of(List.of(Map.of(P + "gpu-count", "eight")))).isEmpty();
        assertThat(ClusterApiNodeShape.of(List.of(Map.of(P + "gpu-count", "0")))).isEmpty();
        assertThat(ClusterApiNodeShape.of(List.of(Map.of(P + "labels", "node.kubernetes.io/instance-type=")))).isEmpty();
        assertThat(ClusterApiNodeShape.of(List.of(Map.of()))).isEmpty();
    }
}
