package dev.finops.operator.model;

import java.util.Map;

/** A node as the cost model sees it. */
public record GpuNode(String name, Map<String, String> labels, String instanceType, CapacityType capacityType,
        NodeGpus gpus) {

    public static final String INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
}
