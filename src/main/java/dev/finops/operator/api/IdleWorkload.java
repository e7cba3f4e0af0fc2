package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload on the pool's GPUs that did no work for the whole idle window. */
public class IdleWorkload {

    @JsonPropertyDescription("Namespace of the workload.")
    private String namespace;

    @JsonPropertyDescription("Kind of the workload.")
    private String kind;

    @JsonPropertyDescription("Name of the workload.")
    private String name;

    @JsonPropertyDescription("GPUs it holds.")
    private String gpus;

    @JsonPropertyDescription("RFC 3339 time since which it is idle.")
    private String idleSince;

    @JsonPropertyDescription("What its idle GPUs cost per hour.")
    private String costPerHour;

    @JsonPropertyDescription("Report or ScaledDown.")
    private String action;

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

    public String getGpus() {
        return gpus;
    }

    public void setGpus(String gpus) {
        this.gpus = gpus;
    }

    public String getIdleSince() {
        return idleSince;
    }

    public void setIdleSince(String idleSince) {
        this.idleSince = idleSince;
    }

    public String getCostPerHour() {
        return costPerHour;
    }

    public void setCostPerHour(String costPerHour) {
        this.costPerHour = costPerHour;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }
}
