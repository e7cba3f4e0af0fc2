package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "has(self.onDemandPerHour) || has(self.spotPerHour) || has(self.reservedPerHour)",
        message = "spec.pricing needs at least one of onDemandPerHour, spotPerHour, reservedPerHour; to state only the "
                + "instance type of the pool's nodes, write spec.nodeShape.instanceType")
public class Pricing {

    @JsonPropertyDescription("Instance type these prices apply to (node label node.kubernetes.io/instance-type); "
            + "when empty they apply to every node of the pool. Pools written before spec.nodeShape existed also "
            + "take their GPUs per node from it while they have no node; state that in spec.nodeShape instead.")
    @Size(max = 253)
    private String instanceType;

    @JsonPropertyDescription("On-demand price of one node per hour, in the catalog's currency, at most 6 decimals.")
    @Pattern(Formats.PRICE)
    private String onDemandPerHour;

    @JsonPropertyDescription("Spot price of one node per hour, in the catalog's currency, at most 6 decimals.")
    @Pattern(Formats.PRICE)
    private String spotPerHour;

    @JsonPropertyDescription("Effective reserved or committed-use price of one node per hour, at most 6 decimals.")
    @Pattern(Formats.PRICE)
    private String reservedPerHour;

    public String getInstanceType() {
        return instanceType;
    }

    public void setInstanceType(String instanceType) {
        this.instanceType = instanceType;
    }

    public String getOnDemandPerHour() {
        return onDemandPerHour;
    }

    public void setOnDemandPerHour(String onDemandPerHour) {
        this.onDemandPerHour = onDemandPerHour;
    }

    public String getSpotPerHour() {
        return spotPerHour;
    }

    public void setSpotPerHour(String spotPerHour) {
        this.spotPerHour = spotPerHour;
    }

    public String getReservedPerHour() {
        return reservedPerHour;
    }

    public void setReservedPerHour(String reservedPerHour) {
        this.reservedPerHour = reservedPerHour;
    }
}
