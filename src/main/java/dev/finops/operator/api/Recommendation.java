package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A rightsizing advice: a workload that uses fewer GPUs than it requests. No automatic change. */
public class Recommendation {

    @JsonPropertyDescription("Namespace of the workload.")
    private String namespace;

    @JsonPropertyDescription("Kind of the workload.")
    private String kind;

    @JsonPropertyDescription("Name of the workload.")
    private String name;

    @JsonPropertyDescription("GPUs requested per pod.")
    private Integer requestedGpus;

    @JsonPropertyDescription("Mean utilisation of its GPUs over the idle window, in percent (in steps of 5).")
    private Integer usedPercent;

    @JsonPropertyDescription("GPUs it would need at its observed utilisation (aiming at 70%).")
    private Integer recommendedGpus;

    @JsonPropertyDescription("What the change would save per hour.")
    private String savingsPerHour;

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getRequestedGpus() {
        return requestedGpus;
    }

    public void setRequestedGpus(Integer requestedGpus) {
        this.requestedGpus = requestedGpus;
    }

    public Integer getUsedPercent() {
        return usedPercent;
    }

    public void setUsedPercent(Integer usedPercent) {
        this.usedPercent = usedPercent;
    }

    public Integer getRecommendedGpus() {
        return recommendedGpus;
    }

    public void setRecommendedGpus(Integer recommendedGpus) {
        this.recommendedGpus = recommendedGpus;
    }

    public String getSavingsPerHour() {
        return savingsPerHour;
    }

    public void setSavingsPerHour(String savingsPerHour) {
        this.savingsPerHour = savingsPerHour;
    }
}
