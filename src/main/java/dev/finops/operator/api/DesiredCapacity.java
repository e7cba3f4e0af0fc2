package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.finops.operator.model.CapacityType;
import java.util.List;

public class DesiredCapacity {

    @JsonPropertyDescription("Spot nodes the planner wants.")
    private Integer spot;

    @JsonPropertyDescription("On-demand (including reserved) nodes the planner wants.")
    private Integer onDemand;

    @JsonPropertyDescription("Capacity types the provider may use now, e.g. [reserved, spot, on-demand].")
    private List<CapacityType> capacityTypes;

    @JsonPropertyDescription("GPUs of one node the plan counts with; 0 when unknown (no scale-up is planned).")
    private Integer gpusPerNode;

    @JsonPropertyDescription("Where gpusPerNode comes from: NodeShape, NodeShapeInstanceType, Nodes, "
            + "KarpenterNodePool, ClusterApiAnnotations, PricingInstanceType or Unknown.")
    private GpusPerNodeSource gpusPerNodeFrom;

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

    public List<CapacityType> getCapacityTypes() {
        return capacityTypes;
    }

    public void setCapacityTypes(List<CapacityType> capacityTypes) {
        this.capacityTypes = capacityTypes;
    }

    public Integer getGpusPerNode() {
        return gpusPerNode;
    }

    public void setGpusPerNode(Integer gpusPerNode) {
        this.gpusPerNode = gpusPerNode;
    }

    public GpusPerNodeSource getGpusPerNodeFrom() {
        return gpusPerNodeFrom;
    }

    public void setGpusPerNodeFrom(GpusPerNodeSource gpusPerNodeFrom) {
        this.gpusPerNodeFrom = gpusPerNodeFrom;
    }
}
