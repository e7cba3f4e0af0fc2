package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class GpuPoolStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Nodes of the pool by capacity type.")
    private NodeCounts nodes;

    @JsonPropertyDescription("GPUs of the pool: total, allocated to pods, idle.")
    private GpuCounts gpus;

    @JsonPropertyDescription("What the pool's nodes cost per hour now.")
    private String costPerHour;

    @JsonPropertyDescription("What the unallocated and idle GPUs cost per hour.")
    private String idleCostPerHour;

    @JsonPropertyDescription("What the pool saves per hour against running every node on-demand.")
    private String savingsPerHour;

    @JsonPropertyDescription("What the capacity planner wants from the provider.")
    private DesiredCapacity desired;

    @JsonPropertyDescription("Spot interruptions and the on-demand fallback.")
    private Interruptions interruptions;

    @JsonPropertyDescription("Workloads found idle on the pool's GPUs.")
    private List<IdleWorkload> idleWorkloads;

    @JsonPropertyDescription("Rightsizing advice: workloads using fewer GPUs than they request.")
    private List<Recommendation> recommendations;

    @JsonPropertyDescription("Ready, ProviderSynced, PricesKnown, SpotFallbackActive, IdleDetectionAvailable.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public NodeCounts getNodes() {
        return nodes;
    }

    public void setNodes(NodeCounts nodes) {
        this.nodes = nodes;
    }

    public GpuCounts getGpus() {
        return gpus;
    }

    public void setGpus(GpuCounts gpus) {
        this.gpus = gpus;
    }

    public String getCostPerHour() {
        return costPerHour;
    }

    public void setCostPerHour(String costPerHour) {
        this.costPerHour = costPerHour;
    }

    public String getIdleCostPerHour() {
        return idleCostPerHour;
    }

    public void setIdleCostPerHour(String idleCostPerHour) {
        this.idleCostPerHour = idleCostPerHour;
    }

    public String getSavingsPerHour() {
        return savingsPerHour;
    }

    public void setSavingsPerHour(String savingsPerHour) {
        this.savingsPerHour = savingsPerHour;
    }

    public DesiredCapacity getDesired() {
        return desired;
    }

    public void setDesired(DesiredCapacity desired) {
        this.desired = desired;
    }

    public Interruptions getInterruptions() {
        return interruptions;
    }

    public void setInterruptions(Interruptions interruptions) {
        this.interruptions = interruptions;
    }

    public List<IdleWorkload> getIdleWorkloads() {
        return idleWorkloads;
    }

    public void setIdleWorkloads(List<IdleWorkload> idleWorkloads) {
        this.idleWorkloads = idleWorkloads;
    }

    public List<Recommendation> getRecommendations() {
        return recommendations;
    }

    public void setRecommendations(List<Recommendation> recommendations) {
        this.recommendations = recommendations;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
