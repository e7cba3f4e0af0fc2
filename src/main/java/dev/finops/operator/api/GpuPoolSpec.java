package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

@ValidationRule(value = "!has(self.provider) || !(has(self.provider.karpenter) || has(self.provider.scaleTargets)) "
        + "|| has(self.capacity.maxNodes)",
        message = "spec.capacity.maxNodes is required when spec.provider manages capacity")
public class GpuPoolSpec {

    @JsonPropertyDescription("Selects the Nodes of this pool by their labels.")
    @Required
    private LabelSelector nodeSelector;

    @JsonPropertyDescription("How many nodes, and on which capacity types (reserved, spot, on-demand).")
    @Default("{}")
    private Capacity capacity = new Capacity();

    @JsonPropertyDescription("What one node of the pool is (instance type, GPUs per node), for planning while the "
            + "pool has no node yet. Optional when the provider states it (Karpenter NodePool requirements, "
            + "Cluster API capacity annotations); when stated here it wins.")
    private NodeShape nodeShape;

    @JsonPropertyDescription("Prices that override the built-in catalog for the nodes of this pool.")
    private Pricing pricing;

    @JsonPropertyDescription("What makes capacity real: karpenter NodePools or /scale targets; none to observe "
            + "and report only.")
    private Provider provider;

    @JsonPropertyDescription("Idle GPU detection and scale-down.")
    @Default("{}")
    private IdlePolicy idle = new IdlePolicy();

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public Capacity getCapacity() {
        return capacity;
    }

    public void setCapacity(Capacity capacity) {
        this.capacity = capacity;
    }

    public NodeShape getNodeShape() {
        return nodeShape;
    }

    public void setNodeShape(NodeShape nodeShape) {
        this.nodeShape = nodeShape;
    }

    public Pricing getPricing() {
        return pricing;
    }

    public void setPricing(Pricing pricing) {
        this.pricing = pricing;
    }

    public Provider getProvider() {
        return provider;
    }

    public void setProvider(Provider provider) {
        this.provider = provider;
    }

    public IdlePolicy getIdle() {
        return idle;
    }

    public void setIdle(IdlePolicy idle) {
        this.idle = idle;
    }
}
