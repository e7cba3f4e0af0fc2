package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ExperimentBudgetStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Active, Warning (an alert fired), Exceeded (limit spent), Enforced (workloads "
            + "suspended) or Invalid (see the Valid condition).")
    private BudgetPhase phase;

    @JsonPropertyDescription("RFC 3339 start of the current period.")
    private String periodStart;

    @JsonPropertyDescription("RFC 3339 end of the current period; empty for Total budgets.")
    private String periodEnd;

    @JsonPropertyDescription("Spend of the current period, rounded to cents.")
    private String spent;

    @JsonPropertyDescription("The exact ledger behind spent.")
    private Ledger ledger;

    @JsonPropertyDescription("spent in percent of spec.limit, rounded down.")
    private Integer percentUsed;

    @JsonPropertyDescription("What the selected workloads cost per hour now.")
    private String burnRatePerHour;

    @JsonPropertyDescription("Expected spend at period end at the current burn rate.")
    private String forecast;

    @JsonPropertyDescription("GPU hours used in the current period.")
    private String gpuHours;

    @JsonPropertyDescription("The most expensive workloads of the period.")
    private List<WorkloadCost> workloads;

    @JsonPropertyDescription("Workloads suspended by enforcement, with what they were before.")
    private List<SuspendedWorkload> suspended;

    @JsonPropertyDescription("Alert thresholds (percent) that fired in the current period.")
    private List<Integer> alertsFired;

    @JsonPropertyDescription("Totals of the last periods, newest first.")
    private List<PeriodTotal> history;

    @JsonPropertyDescription("Ready, Valid, Accruing, BudgetExceeded, Enforced, PricesKnown.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public BudgetPhase getPhase() {
        return phase;
    }

    public void setPhase(BudgetPhase phase) {
        this.phase = phase;
    }

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

    public Ledger getLedger() {
        return ledger;
    }

    public void setLedger(Ledger ledger) {
        this.ledger = ledger;
    }

    public Integer getPercentUsed() {
        return percentUsed;
    }

    public void setPercentUsed(Integer percentUsed) {
        this.percentUsed = percentUsed;
    }

    public String getBurnRatePerHour() {
        return burnRatePerHour;
    }

    public void setBurnRatePerHour(String burnRatePerHour) {
        this.burnRatePerHour = burnRatePerHour;
    }

    public String getForecast() {
        return forecast;
    }

    public void setForecast(String forecast) {
        this.forecast = forecast;
    }

    public String getGpuHours() {
        return gpuHours;
    }

    public void setGpuHours(String gpuHours) {
        this.gpuHours = gpuHours;
    }

    public List<WorkloadCost> getWorkloads() {
        return workloads;
    }

    public void setWorkloads(List<WorkloadCost> workloads) {
        this.workloads = workloads;
    }

    public List<SuspendedWorkload> getSuspended() {
        return suspended;
    }

    public void setSuspended(List<SuspendedWorkload> suspended) {
        this.suspended = suspended;
    }

    public List<Integer> getAlertsFired() {
        return alertsFired;
    }

    public void setAlertsFired(List<Integer> alertsFired) {
        this.alertsFired = alertsFired;
    }

    public List<PeriodTotal> getHistory() {
        return history;
    }

    public void setHistory(List<PeriodTotal> history) {
        this.history = history;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
