package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a past period cost. */
public class PeriodTotal {

    @JsonPropertyDescription("RFC 3339 start of the period.")
    private String periodStart;

    @JsonPropertyDescription("RFC 3339 end of the period.")
    private String periodEnd;

    @JsonPropertyDescription("Spend of the period, rounded to cents.")
    private String spent;

    @JsonPropertyDescription("Exact spend of the period in micro-units.")
    private Long spentMicros;

    public String getPeriodStart() {
        return periodStart;
    }

    public void setPeriodStart(String periodStart) {
        this.periodStart = periodStart;
    }

    public String getPeriodEnd() {
        return periodEnd;
    }

    public void setPeriodEnd(String periodEnd) {
        this.periodEnd = periodEnd;
    }

    public String getSpent() {
        return spent;
    }

    public void setSpent(String spent) {
        this.spent = spent;
    }

    public Long getSpentMicros() {
        return spentMicros;
    }

    public void setSpentMicros(Long spentMicros) {
        this.spentMicros = spentMicros;
    }
}
