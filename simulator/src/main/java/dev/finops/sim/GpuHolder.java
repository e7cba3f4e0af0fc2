package dev.finops.sim;

/**
 * A container holding GPU slots: what dcgm-exporter's {@code namespace}, {@code pod} and {@code container}
 * labels name, plus the workload whose utilisation profile drives the series' values.
 */
public record GpuHolder(String namespace, String pod, String container, WorkloadKey workload) {

    /** Seed for the per-series noise of a utilisation profile: differs per container, stable over time. */
    public long seed(int gpuIndex) {
        return (((long) namespace.hashCode() * 31 + pod.hashCode()) * 31 + container.hashCode()) * 31 + gpuIndex;
    }
}
