package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

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

    @JsonPropertyDescription("Where the workload stands: Suspended (by this budget, restore record on the workload), "
            + "DryRun (would be suspended), ResumedByUser (a person started it again; left alone until the budget "
            + "resets or is restored), HeldBy (another owner's restore record is on it, e.g. a pool's), CannotStop "
            + "(the message says why, e.g. the right to grant), CannotRestore (suspended by this budget and not "
            + "given back yet: the message says what is missing; tried again on every pass), Exempt "
            + "(finops.dev/exempt is on it).")
    private SuspendedWorkloadState state;

    @JsonPropertyDescription("Why, in words: who holds it, or what keeps it from being suspended.")
    private String message;

    /** What versions before {@code state} wrote; read once and carried over, never written again. */
    @Deprecated
    @JsonPropertyDescription("Deprecated: written by earlier versions (empty for suspended, else the state and why, "
            + "in words); read into state and message.")
    private String reason;

    /**
     * The entries in this version's terms: one written by an earlier version (a free-text reason, no state) gets
     * the state its reason names and the rest of the reason as its message.
     */
    public static List<SuspendedWorkload> carryOver(List<SuspendedWorkload> entries) {
        if (entries != null) {
            entries.forEach(SuspendedWorkload::carryOverReason);
        }
        return entries;
    }

    @SuppressWarnings("deprecation")
    private void carryOverReason() {
        if (state == null) {
            state = SuspendedWorkloadState.fromLegacyReason(reason);
            if (reason != null && !reason.isEmpty()) {
                message = reason.startsWith(state.name() + ": ") ? reason.substring(state.name().length() + 2) : reason;
            }
        }
        reason = null;
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

    public SuspendedWorkloadState getState() {
        return state;
    }

    public void setState(SuspendedWorkloadState state) {
        this.state = state;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    /** @deprecated earlier versions' free text; see {@link #carryOver(List)} */
    @Deprecated
    public String getReason() {
        return reason;
    }

    /** @deprecated earlier versions' free text; see {@link #carryOver(List)} */
    @Deprecated
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
