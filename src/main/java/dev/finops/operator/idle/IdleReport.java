package dev.finops.operator.idle;

import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;
import java.util.List;

/** What the idle rules found on a pool's GPUs in one pass. */
public record IdleReport(List<Finding> idle, List<Advice> rightsizing, int podsWithoutEvidence) {

    /** A workload whose every GPU pod stayed under the threshold for the whole window. */
    public record Finding(String namespace, WorkloadKey workload, String apiVersion, double gpus, Instant idleSince,
            long costMicrosPerHour) {
    }

    /**
     * A workload that uses a fraction of the GPUs it asks for ({@code usedPercent} on average over the window),
     * and what asking for fewer would save.
     */
    public record Advice(String namespace, WorkloadKey workload, int requestedGpus, double usedPercent,
            int recommendedGpus, long savingsMicrosPerHour) {
    }
}
