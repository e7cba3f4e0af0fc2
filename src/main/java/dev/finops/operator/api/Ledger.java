package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The exact accrual state: the spend and the instant up to which it is counted move together. */
public class Ledger {

    @JsonPropertyDescription("Exact spend of the current period in micro-units of the currency (1 = 0.000001).")
    private Long spentMicros;

    @JsonPropertyDescription("Exact GPU use of the current period in micro-GPU-hours.")
    private Long gpuMicroHours;

    @JsonPropertyDescription("RFC 3339 watermark: cost is counted up to this instant and never again.")
    private String accruedUntil;

    public Long getSpentMicros() {
        return spentMicros;
    }

    public void setSpentMicros(Long spentMicros) {
        this.spentMicros = spentMicros;
    }

    public String getAccruedUntil() {
        return accruedUntil;
    }

    public void setAccruedUntil(String accruedUntil) {
        this.accruedUntil = accruedUntil;
    }

    public Long getGpuMicroHours() {
        return gpuMicroHours;
    }

    public void setGpuMicroHours(Long gpuMicroHours) {
        this.gpuMicroHours = gpuMicroHours;
    }
}
