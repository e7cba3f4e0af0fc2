package dev.finops.operator.model;

import java.time.Instant;
import java.util.Map;

/**
 * A pod that requests GPUs, as the cost model sees it: where it runs, for which workload it claims (and that
 * workload's API version; what is acted on is its verified owner, from {@code controller}), and its running
 * interval [start, end) from its own timestamps (start null while pending, end null while running).
 *
 * @param controller its controller owner reference; null when it has none, or when it was not mapped from a pod
 */
public record GpuPod(String uid, String namespace, String name, Map<String, String> labels, String nodeName,
        WorkloadKey workload, String workloadApiVersion, Instant start, Instant end, Map<String, Long> gpuRequests,
        PodOwner controller) {

    /** A pod whose controller reference is not known here (built by hand, not mapped from a Pod). */
    public GpuPod(String uid, String namespace, String name, Map<String, String> labels, String nodeName,
            WorkloadKey workload, String workloadApiVersion, Instant start, Instant end, Map<String, Long> gpuRequests) {
        this(uid, namespace, name, labels, nodeName, workload, workloadApiVersion, start, end, gpuRequests, null);
    }

    public GpuPod withEnd(Instant newEnd) {
        return new GpuPod(uid, namespace, name, labels, nodeName, workload, workloadApiVersion, start, newEnd,
                gpuRequests, controller);
    }
}
