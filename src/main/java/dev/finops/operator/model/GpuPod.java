package dev.finops.operator.model;

import java.time.Instant;
import java.util.Map;

/**
 * A pod that requests GPUs, as the cost model sees it: where it runs, for which workload (and that workload's
 * API version, to act on it), and its running
 * interval [start, end) from its own timestamps (start null while pending, end null while running).
 */
public record GpuPod(String uid, String namespace, String name, Map<String, String> labels, String nodeName,
        WorkloadKey workload, String workloadApiVersion, Instant start, Instant end, Map<String, Long> gpuRequests) {

    public GpuPod withEnd(Instant newEnd) {
        return new GpuPod(uid, namespace, name, labels, nodeName, workload, workloadApiVersion, start, newEnd,
                gpuRequests);
    }
}
