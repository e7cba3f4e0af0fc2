package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What one node of the pool is, stated by the user, so that a pool with no node yet can be planned. */
@ValidationRule(value = "has(self.instanceType) || has(self.gpusPerNode)",
        message = "spec.nodeShape needs instanceType, gpusPerNode or both")
public class NodeShape {

    @JsonPropertyDescription("Instance type of the pool's nodes (as in node.kubernetes.io/instance-type, e.g. "
            + "p4d.24xlarge); the price catalog gives its GPUs per node. Prices are still those of each node's own "
            + "labels; override them in spec.pricing.")
    @Size(min = 1, max = 253)
    private String instanceType;

    @JsonPropertyDescription("GPUs (nvidia.com/gpu) one node of the pool has. Wins over the catalog's figure for "
            + "instanceType; set it for an instance type the catalog lacks.")
    @Min(1)
    @Max(64)
    private Integer gpusPerNode;

    public String getInstanceType() {
        return instanceType;
    }

    public void setInstanceType(String instanceType) {
        this.instanceType = instanceType;
    }

    public Integer getGpusPerNode() {
        return gpusPerNode;
    }

    public void setGpusPerNode(Integer gpusPerNode) {
        this.gpusPerNode = gpusPerNode;
    }
}
