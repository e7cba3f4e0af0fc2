package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class GpuCounts {

    @JsonPropertyDescription("GPUs the pool's nodes have (allocatable nvidia.com/gpu and MIG slices as GPUs).")
    private Integer total;

    @JsonPropertyDescription("GPUs requested by running pods.")
    private Integer allocated;

    @JsonPropertyDescription("GPUs not requested by any pod, plus GPUs of workloads found idle.")
    private Integer idle;

    public Integer getTotal() {
        return total;
    }

    public void setTotal(Integer total) {
        this.total = total;
    }

    public Integer getAllocated() {
        return allocated;
    }

    public void setAllocated(Integer allocated) {
        this.allocated = allocated;
    }

    public Integer getIdle() {
        return idle;
    }

    public void setIdle(Integer idle) {
        this.idle = idle;
    }
}
