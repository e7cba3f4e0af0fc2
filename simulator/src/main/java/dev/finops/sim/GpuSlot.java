package dev.finops.sim;

/**
 * One unit of a node's GPU extended resource that the kubelet hands to a container: a whole GPU, one
 * time-slicing replica of a GPU, or one MIG instance. dcgm-exporter reports per slot (per MIG instance,
 * per sharing pod), so this is also the unit of a metric series.
 *
 * @param resource the extended resource it counts toward, e.g. {@code nvidia.com/gpu}
 * @param gpuIndex the physical GPU it lives on
 * @param mig the MIG profile, or null for a whole or time-sliced GPU
 * @param gpuInstanceId the MIG GPU instance id, or -1
 * @param replica the time-slicing replica (0-based), or -1 when the GPU is not shared
 */
public record GpuSlot(String resource, int gpuIndex, MigProfile mig, int gpuInstanceId, int replica) {

    public static GpuSlot whole(int gpuIndex) {
        return new GpuSlot(SimulatorLabels.GPU_RESOURCE, gpuIndex, null, -1, -1);
    }

    public static GpuSlot shared(int gpuIndex, int replica) {
        return new GpuSlot(SimulatorLabels.GPU_RESOURCE, gpuIndex, null, -1, replica);
    }

    public static GpuSlot migInstance(int gpuIndex, MigProfile profile, int n) {
        return new GpuSlot(profile.resourceName(), gpuIndex, profile, profile.gpuInstanceId(n), -1);
    }

    public boolean isShared() {
        return replica >= 0;
    }
}
