package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@ValidationRule(value = "has(self.nodePoolRoles) != has(self.nodePools)",
        message = "spec.provider.karpenter needs nodePoolRoles (or the older nodePools), not both")
public class KarpenterProvider {

    @JsonPropertyDescription("The karpenter.sh/v1 NodePools of this pool, each with the capacity it supplies. The "
            + "operator sets their karpenter.sh/capacity-type requirement, nvidia.com/gpu limit and weight, and "
            + "nothing else.")
    @Size(min = 1, max = 10)
    @ValidationRule(value = "self.all(n, self.exists_one(o, o.name == n.name))",
            message = "spec.provider.karpenter.nodePoolRoles must not repeat a name")
    @ValidationRule(value = "self.size() == 1 || self.all(n, n.role != 'Any')",
            message = "spec.provider.karpenter.nodePoolRoles: role Any is for a single NodePool; give each of "
                    + "several NodePools Spot, OnDemand or Reserved")
    private List<KarpenterNodePool> nodePoolRoles;

    @JsonPropertyDescription("Deprecated: use nodePoolRoles. NodePool names whose roles follow the list order: a "
            + "single NodePool takes every capacity type; with two or more the first is the spot one and the others "
            + "on-demand.")
    @Size(min = 1, max = 10)
    @ValidationRule(value = "self.all(n, self.indexOf(n) == self.lastIndexOf(n))",
            message = "spec.provider.karpenter.nodePools must not repeat a name")
    private List<@Size(min = 1, max = 253) @Pattern(Formats.OBJECT_NAME) String> nodePools;

    public List<KarpenterNodePool> getNodePoolRoles() {
        return nodePoolRoles;
    }

    public void setNodePoolRoles(List<KarpenterNodePool> nodePoolRoles) {
        this.nodePoolRoles = nodePoolRoles;
    }

    public List<String> getNodePools() {
        return nodePools;
    }

    public void setNodePools(List<String> nodePools) {
        this.nodePools = nodePools;
    }
}
