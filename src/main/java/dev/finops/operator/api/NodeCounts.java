package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class NodeCounts {

    @JsonPropertyDescription("Nodes selected by the pool.")
    private Integer total;

    @JsonPropertyDescription("Nodes billed at the reserved rate.")
    private Integer reserved;

    @JsonPropertyDescription("Spot nodes.")
    private Integer spot;

    @JsonPropertyDescription("On-demand nodes not covered by reservations.")
    private Integer onDemand;

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getReserved() {
        return reserved;
    }

    public void setReserved(Integer reserved) {
        this.reserved = reserved;
    }

    public Integer getSpot() {
        return spot;
    }

    public void setSpot(Integer spot) {
        this.spot = spot;
    }

    public Integer getOnDemand() {
        return onDemand;
    }

    public void setOnDemand(Integer onDemand) {
        this.onDemand = onDemand;
    }
}
