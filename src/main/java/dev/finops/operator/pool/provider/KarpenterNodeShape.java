package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.pool.plan.StatedShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What Karpenter NodePools state about their nodes' GPUs, in {@code spec.template.spec.requirements}: a GPU count
 * label of the cloud provider with operator In, or {@code node.kubernetes.io/instance-type} In (the catalog then
 * gives the GPUs). Of several values or NodePools the largest figure is taken: the pool's GPU limit then never
 * stops a node the NodePools may launch. Gt/Lt ranges state no exact figure and are not read.
 */
final class KarpenterNodeShape {

    /** Karpenter's AWS and Azure providers' well-known labels for the GPU count of an instance type. */
    static final List<String> GPU_COUNT_KEYS = List.of("karpenter.k8s.aws/instance-gpu-count",
            "karpenter.azure.com/sku-gpu-count");
    static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";

    private KarpenterNodeShape() {
    }

    static Optional<StatedShape> of(List<List<Map<String, Object>>> requirementsPerNodePool) {
        OptionalInt gpus = OptionalInt.empty();
        List<String> instanceTypes = new ArrayList<>();
        for (List<Map<String, Object>> requirements : requirementsPerNodePool) {
            for (Map<String, Object> requirement : requirements) {
                List<String> values = inValues(requirement);
                if (GPU_COUNT_KEYS.contains(requirement.get("key"))) {
                    OptionalInt largest = values.stream().map(KarpenterNodeShape::count).flatMap(Optional::stream)
                            .mapToInt(Integer::intValue).max();
                    gpus = largest.isPresent() && largest.getAsInt() > gpus.orElse(0) ? largest : gpus;
                } else if (INSTANCE_TYPE.equals(requirement.get("key"))) {
                    values.stream().filter(type -> !instanceTypes.contains(type)).forEach(instanceTypes::add);
                }
            }
        }
        StatedShape shape = new StatedShape(gpus.isPresent() ? gpus.getAsInt() : null, instanceTypes,
                GpusPerNodeSource.KarpenterNodePool);
        return shape.statesAnything() ? Optional.of(shape) : Optional.empty();
    }

    private static List<String> inValues(Map<String, Object> requirement) {
        if (!"In".equals(requirement.get("operator")) || !(requirement.get("values") instanceof List<?> values)) {
            return List.of();
        }
        return values.stream().map(String::valueOf).toList();
    }

    private static Optional<Integer> count(String value) {
        try {
            int count = Integer.parseInt(value.trim());
            return count > 0 ? Optional.of(count) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
