package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.pool.plan.StatedShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Cluster API scale targets state about their nodes through the cluster-autoscaler's scale-from-zero capacity
 * annotations (cluster-autoscaler, cloudprovider/clusterapi README, "Scale from zero support"), set on a
 * MachineDeployment, MachineSet or MachinePool: {@code capacity.cluster-autoscaler.kubernetes.io/gpu-count} (with
 * {@code gpu-type} absent or {@code nvidia.com/gpu}), or an instance type among the node labels of
 * {@code capacity.cluster-autoscaler.kubernetes.io/labels} ("key1=value1,key2=value2"). Of several targets the
 * largest figure is taken.
 */
final class ClusterApiNodeShape {

    static final String PREFIX = "capacity.cluster-autoscaler.kubernetes.io/";
    static final String GPU_COUNT = PREFIX + "gpu-count";
    static final String GPU_TYPE = PREFIX + "gpu-type";
    static final String LABELS = PREFIX + "labels";
    static final String NVIDIA_GPU = "nvidia.com/gpu";
    static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

    private ClusterApiNodeShape() {
    }

    static Optional<StatedShape> of(List<Map<String, String>> annotationsPerTarget) {
        Integer gpus = null;
        List<String> instanceTypes = new ArrayList<>();
        for (Map<String, String> annotations : annotationsPerTarget) {
            Integer count = gpuCount(annotations);
            if (count != null && (gpus == null || count > gpus)) {
                gpus = count;
            }
            instanceType(annotations.get(LABELS)).filter(type -> !instanceTypes.contains(type))
                    .ifPresent(instanceTypes::add);
        }
        StatedShape shape = new StatedShape(gpus, instanceTypes, GpusPerNodeSource.ClusterApiAnnotations);
        return shape.statesAnything() ? Optional.of(shape) : Optional.empty();
    }

    private static Integer gpuCount(Map<String, String> annotations) {
        String type = annotations.get(GPU_TYPE);
        String count = annotations.get(GPU_COUNT);
        if (count == null || (type != null && !NVIDIA_GPU.equals(type.trim()))) {
            return null; // another vendor's resource is not what the pool's pods request
        }
        try {
            int parsed = Integer.parseInt(count.trim());
            return parsed > 0 ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Optional<String> instanceType(String labels) {
        if (labels == null) {
            return Optional.empty();
        }
        for (String pair : labels.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && INSTANCE_TYPE.equals(pair.substring(0, equals).trim())
                    && !pair.substring(equals + 1).isBlank()) {
                return Optional.of(pair.substring(equals + 1).trim());
            }
        }
        return Optional.empty();
    }
}
