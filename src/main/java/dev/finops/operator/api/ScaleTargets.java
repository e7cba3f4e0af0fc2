package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "has(self.spot) || has(self.onDemand)",
        message = "spec.provider.scaleTargets needs spot, onDemand or both")
public class ScaleTargets {

    @JsonPropertyDescription("The object that runs the pool's spot nodes, scaled through /scale.")
    private ScaleTargetReference spot;

    @JsonPropertyDescription("The object that runs the pool's on-demand nodes, scaled through /scale.")
    private ScaleTargetReference onDemand;

    public ScaleTargetReference getSpot() {
        return spot;
    }

    public void setSpot(ScaleTargetReference spot) {
        this.spot = spot;
    }

    public ScaleTargetReference getOnDemand() {
        return onDemand;
    }

    public void setOnDemand(ScaleTargetReference onDemand) {
        this.onDemand = onDemand;
    }
}
