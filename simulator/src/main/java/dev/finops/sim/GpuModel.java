package dev.finops.sim;

import java.util.Arrays;
import java.util.Optional;

/**
 * GPU models the simulator can put in a node, with the two names the real stack uses for them:
 * GPU Feature Discovery's node label {@code nvidia.com/gpu.product} (spaces replaced by dashes) and DCGM's
 * {@code modelName} metric label (the driver's name). The two cannot be derived from each other
 * ("NVIDIA-A100-SXM4-40GB" vs "NVIDIA A100-SXM4-40GB"), hence this table.
 */
public enum GpuModel {
    A100_SXM4_40GB("NVIDIA-A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB", 40960, 40),
    H100_80GB_HBM3("NVIDIA-H100-80GB-HBM3", "NVIDIA H100 80GB HBM3", 81559, 80),
    A10G("NVIDIA-A10G", "NVIDIA A10G", 23028, 0),
    L40S("NVIDIA-L40S", "NVIDIA L40S", 46068, 0),
    L4("NVIDIA-L4", "NVIDIA L4", 23034, 0);

    private final String productLabel;
    private final String modelName;
    private final int memoryMiB;
    private final int migMemoryGb;

    GpuModel(String productLabel, String modelName, int memoryMiB, int migMemoryGb) {
        this.productLabel = productLabel;
        this.modelName = modelName;
        this.memoryMiB = memoryMiB;
        this.migMemoryGb = migMemoryGb;
    }

    /** The value of the {@code nvidia.com/gpu.product} node label. */
    public String productLabel() {
        return productLabel;
    }

    /** The value of dcgm-exporter's {@code modelName} label. */
    public String modelName() {
        return modelName;
    }

    /** The value of the {@code nvidia.com/gpu.memory} node label. */
    public int memoryMiB() {
        return memoryMiB;
    }

    public boolean migCapable() {
        return migMemoryGb > 0;
    }

    /** The nominal memory MIG profiles are cut from (40 or 80 GB); 0 when the GPU has no MIG. */
    public int migMemoryGb() {
        return migMemoryGb;
    }

    public static Optional<GpuModel> byProductLabel(String productLabel) {
        return Arrays.stream(values()).filter(m -> m.productLabel.equals(productLabel)).findFirst();
    }
}
