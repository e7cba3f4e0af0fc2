package dev.finops.sim;

import java.util.Arrays;
import java.util.Optional;

/**
 * Real GPU instance types of AWS and GCP, so that simulated nodes carry the
 * {@code node.kubernetes.io/instance-type} values the operator's price catalog knows, with the GPUs,
 * vCPUs and memory those machines really have.
 */
public enum GpuInstanceType {
    P4D_24XLARGE("p4d.24xlarge", Cloud.AWS, GpuModel.A100_SXM4_40GB, 8, 96, 1152),
    P5_48XLARGE("p5.48xlarge", Cloud.AWS, GpuModel.H100_80GB_HBM3, 8, 192, 2048),
    G5_XLARGE("g5.xlarge", Cloud.AWS, GpuModel.A10G, 1, 4, 16),
    G5_12XLARGE("g5.12xlarge", Cloud.AWS, GpuModel.A10G, 4, 48, 192),
    G6E_12XLARGE("g6e.12xlarge", Cloud.AWS, GpuModel.L40S, 4, 48, 384),
    A2_HIGHGPU_1G("a2-highgpu-1g", Cloud.GCP, GpuModel.A100_SXM4_40GB, 1, 12, 85),
    A2_HIGHGPU_8G("a2-highgpu-8g", Cloud.GCP, GpuModel.A100_SXM4_40GB, 8, 96, 680),
    G2_STANDARD_24("g2-standard-24", Cloud.GCP, GpuModel.L4, 2, 24, 96);

    private final String apiName;
    private final Cloud cloud;
    private final GpuModel gpu;
    private final int gpus;
    private final int vcpus;
    private final int memoryGiB;

    GpuInstanceType(String apiName, Cloud cloud, GpuModel gpu, int gpus, int vcpus, int memoryGiB) {
        this.apiName = apiName;
        this.cloud = cloud;
        this.gpu = gpu;
        this.gpus = gpus;
        this.vcpus = vcpus;
        this.memoryGiB = memoryGiB;
    }

    /** The cloud's own name, e.g. {@code p4d.24xlarge}: the {@code node.kubernetes.io/instance-type} label. */
    public String apiName() {
        return apiName;
    }

    public Cloud cloud() {
        return cloud;
    }

    public GpuModel gpu() {
        return gpu;
    }

    public int gpus() {
        return gpus;
    }

    public int vcpus() {
        return vcpus;
    }

    public int memoryGiB() {
        return memoryGiB;
    }

    public static Optional<GpuInstanceType> byApiName(String apiName) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(apiName)).findFirst();
    }
}
