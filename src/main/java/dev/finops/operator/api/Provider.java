package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "!(has(self.karpenter) && has(self.scaleTargets))",
        message = "spec.provider: set at most one of karpenter, scaleTargets")
public class Provider {

    @JsonPropertyDescription("Steer real karpenter.sh/v1 NodePools.")
    private KarpenterProvider karpenter;

    @JsonPropertyDescription("Set replicas through /scale: Cluster API MachineDeployment, MachinePool or "
            + "MachineSet, or a kind the platform team allows in the operator setting "
            + "finops.scale-targets.allowed-kinds.")
    private ScaleTargets scaleTargets;

    public KarpenterProvider getKarpenter() {
        return karpenter;
    }

    public void setKarpenter(KarpenterProvider karpenter) {
        this.karpenter = karpenter;
    }

    public ScaleTargets getScaleTargets() {
        return scaleTargets;
    }

    public void setScaleTargets(ScaleTargets scaleTargets) {
        this.scaleTargets = scaleTargets;
    }
}
