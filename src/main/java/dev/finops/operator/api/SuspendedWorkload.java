package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload the operator suspended (or, in dry run, would suspend), and what it was before. */
public class SuspendedWorkload {

    @JsonPropertyDescription("API version of the workload, e.g. apps/v1.")
    private String apiVersion;

    @JsonPropertyDescription("Kind of the workload.")
    private String kind;

    @JsonPropertyDescription("Name of the workload.")
    private String name;

    @JsonPropertyDescription("Replicas before the suspension; empty for Jobs and CronJobs.")
    private Integer replicasBefore;

    @JsonPropertyDescription("RFC 3339 time of the suspension.")
    private String since;

    @JsonPropertyDescription("Empty when the workload is suspended; otherwise why it is listed but not suspended "
            + "(DryRun, ResumedByUser, HeldBy another owner's restore record, or why it cannot be suspended).")
    private String reason;

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

    public Integer getReplicasBefore() {
        return replicasBefore;
    }

    public void setReplicasBefore(Integer replicasBefore) {
        this.replicasBefore = replicasBefore;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }
}
