package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A top-level workload of a budget and what it costs. */
public class WorkloadCost {

    @JsonPropertyDescription("Kind of the workload, e.g. Job, Deployment, StatefulSet, CronJob.")
    private String kind;

    @JsonPropertyDescription("Name of the workload.")
    private String name;

    @JsonPropertyDescription("GPUs its running pods hold now (fractions for MIG and time-sliced GPUs).")
    private String gpus;

    @JsonPropertyDescription("What it costs per hour now, rounded to cents.")
    private String costPerHour;

    @JsonPropertyDescription("What it spent in the current period, rounded to cents.")
    private String spent;

    @JsonPropertyDescription("What it spent in the current period, exactly, in micro-units.")
    private Long spentMicros;

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

    public String getGpus() {
        return gpus;
    }

    public void setGpus(String gpus) {
        this.gpus = gpus;
    }

    public String getCostPerHour() {
        return costPerHour;
    }

    public void setCostPerHour(String costPerHour) {
        this.costPerHour = costPerHour;
    }

    public String getSpent() {
        return spent;
    }

    public void setSpent(String spent) {
        this.spent = spent;
    }

    public Long getSpentMicros() {
        return spentMicros;
    }

    public void setSpentMicros(Long spentMicros) {
        this.spentMicros = spentMicros;
    }
}
