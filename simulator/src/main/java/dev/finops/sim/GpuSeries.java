package dev.finops.sim;

/**
 * One series of dcgm-exporter's output: a GPU slot (whole GPU, MIG instance, or one pod's share of a
 * time-sliced GPU), the container holding it (null when free) and its utilisation now.
 *
 * @param hostname the node name ({@code Hostname} label)
 * @param modelName the GPU's {@code modelName}
 * @param holder the container holding the slot, or null
 * @param utilisation 0..1
 */
public record GpuSeries(String hostname, GpuDevice gpu, String modelName, GpuSlot slot, GpuHolder holder,
        double utilisation) {

    public boolean isMigInstance() {
        return slot != null && slot.mig() != null;
    }

    /** dcgm-exporter's {@code vgpu} label: the replica of a time-sliced GPU a pod holds, or null. */
    public String vgpu() {
        return holder != null && slot != null && slot.isShared() ? Integer.toString(slot.replica()) : null;
    }
}
