package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

public class KarpenterProvider {

    @JsonPropertyDescription("Names of the karpenter.sh/v1 NodePools of this pool. The operator sets their "
            + "karpenter.sh/capacity-type requirement, nvidia.com/gpu limit and weight, and nothing else.")
    @Required
    @Size(min = 1, max = 10)
    @ValidationRule(value = "self.all(n, self.indexOf(n) == self.lastIndexOf(n))",
            message = "spec.provider.karpenter.nodePools must not repeat a name")
    private List<@Size(min = 1, max = 253) @Pattern(Formats.OBJECT_NAME) String> nodePools;

    public List<String> getNodePools() {
        return nodePools;
    }

    public void setNodePools(List<String> nodePools) {
        this.nodePools = nodePools;
    }
}
