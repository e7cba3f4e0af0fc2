package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "!has(self.maxNodes) || self.maxNodes >= self.minNodes",
        message = "spec.capacity.maxNodes must be greater than or equal to spec.capacity.minNodes")
@ValidationRule(value = "!has(self.maxNodes) || self.reservedNodes <= self.maxNodes",
        message = "spec.capacity.reservedNodes must not exceed spec.capacity.maxNodes")
@ValidationRule(value = "self.strategy != 'SpotOnly' || self.maxSpotPercent == 100",
        message = "spec.capacity.strategy SpotOnly needs spec.capacity.maxSpotPercent 100")
public class Capacity {

    @JsonPropertyDescription("ReservedFirst (reservations, then on-demand, spot up to maxSpotPercent), SpotFirst "
            + "(spot up to maxSpotPercent, then on-demand), OnDemandOnly, or SpotOnly.")
    @Default("ReservedFirst")
    private CapacityStrategy strategy = CapacityStrategy.ReservedFirst;

    @JsonPropertyDescription("Nodes' worth of on-demand usage covered by reservations or committed-use discounts; "
            + "that much usage is billed at the reserved rate.")
    @Min(0)
    @Max(10000)
    @Default("0")
    private Integer reservedNodes = 0;

    @JsonPropertyDescription("The fewest nodes the provider keeps.")
    @Min(0)
    @Max(10000)
    @Default("0")
    private Integer minNodes = 0;

    @JsonPropertyDescription("The most nodes the provider may run; required with a provider.")
    @Min(0)
    @Max(10000)
    private Integer maxNodes;

    @JsonPropertyDescription("The largest share of nodes, in percent (0..100), that may run on spot capacity.")
    @Min(0)
    @Max(100)
    @Default("100")
    private Integer maxSpotPercent = 100;

    @JsonPropertyDescription("Falls back to on-demand capacity when spot is interrupted too often.")
    @Default("{}")
    private SpotFallback spotFallback = new SpotFallback();

    public CapacityStrategy getStrategy() {
        return strategy;
    }

    public void setStrategy(CapacityStrategy strategy) {
        this.strategy = strategy;
    }

    public Integer getReservedNodes() {
        return reservedNodes;
    }

    public void setReservedNodes(Integer reservedNodes) {
        this.reservedNodes = reservedNodes;
    }

    public Integer getMinNodes() {
        return minNodes;
    }

    public void setMinNodes(Integer minNodes) {
        this.minNodes = minNodes;
    }

    public Integer getMaxNodes() {
        return maxNodes;
    }

    public void setMaxNodes(Integer maxNodes) {
        this.maxNodes = maxNodes;
    }

    public Integer getMaxSpotPercent() {
        return maxSpotPercent;
    }

    public void setMaxSpotPercent(Integer maxSpotPercent) {
        this.maxSpotPercent = maxSpotPercent;
    }

    public SpotFallback getSpotFallback() {
        return spotFallback;
    }

    public void setSpotFallback(SpotFallback spotFallback) {
        this.spotFallback = spotFallback;
    }
}
