package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One karpenter.sh/v1 NodePool of a pool and the capacity it supplies. */
public class KarpenterNodePool {

    @JsonPropertyDescription("Name of the karpenter.sh/v1 NodePool.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Formats.OBJECT_NAME)
    private String name;

    @JsonPropertyDescription("The capacity this NodePool supplies: Spot, OnDemand (and reserved, unless another "
            + "NodePool is Reserved), Reserved, or Any (every allowed capacity type; a single NodePool only).")
    @Required
    private NodePoolRole role;

    public KarpenterNodePool() {
    }

    public KarpenterNodePool(String name, NodePoolRole role) {
        this.name = name;
        this.role = role;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public NodePoolRole getRole() {
        return role;
    }

    public void setRole(NodePoolRole role) {
        this.role = role;
    }
}
