package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload on the pool's GPUs that did no work for the whole idle window. */
public class IdleWorkload {

    @JsonPropertyDescription("Namespace of the workload.")
    private String namespace;

    @JsonPropertyDescription("API version of the workload, as its restore needs it.")
    private String apiVersion;

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

    @JsonPropertyDescription("RFC 3339 time the operator scaled it down (action ScaledDown).")
    private String scaledDownAt;

    @JsonPropertyDescription("What idle detection did: Report (listed only), ScaledDown (to zero, restore record on "
            + "the workload; annotate it finops.dev/restore=true to bring it back), WokenByUser (a person scaled it up "
            + "again or asked for it back; not scaled down before it is idle for a whole window after that), Exempt "
            + "(finops.dev/exempt on the workload), CannotScaleDown (no /scale and no spec.suspend, or the operator may "
            + "not change it; see the pool's Events), Skipped (another restore record is on it, e.g. a budget's), "
            + "CannotRestore (scaled down by the pool and not given back yet; the message says what is missing; "
            + "tried again on every pass).")
    private IdleWorkloadAction action;

    @JsonPropertyDescription("Why, in words, when it cannot be scaled down or restored (CannotScaleDown, "
            + "CannotRestore): e.g. the right to grant to the operator.")
    private String message;

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
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

    public String getScaledDownAt() {
        return scaledDownAt;
    }

    public void setScaledDownAt(String scaledDownAt) {
        this.scaledDownAt = scaledDownAt;
    }

    public IdleWorkloadAction getAction() {
        return action;
    }

    public void setAction(IdleWorkloadAction action) {
        this.action = action;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
