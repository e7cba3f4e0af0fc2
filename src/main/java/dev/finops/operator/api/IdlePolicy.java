package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LabelSelector;

public class IdlePolicy {

    @JsonPropertyDescription("Detect idle GPU workloads on the pool's nodes from DCGM metrics in Prometheus.")
    @Default("true")
    private Boolean enabled = true;

    @JsonPropertyDescription("DCGM metric that measures GPU work: DCGM_FI_PROF_GR_ENGINE_ACTIVE (0..1) or "
            + "DCGM_FI_DEV_GPU_UTIL (0..100); both are compared in percent.")
    @Default("DCGM_FI_PROF_GR_ENGINE_ACTIVE")
    private IdleMetric metric = IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE;

    @JsonPropertyDescription("A workload is idle when every one of its GPUs stayed under this utilisation, in "
            + "percent (0..100), for the whole window.")
    @Min(0)
    @Max(100)
    @Default("5")
    private Integer thresholdPercent = 5;

    @JsonPropertyDescription("How long a workload must stay under the threshold before it counts as idle, "
            + "as a duration, e.g. 30m.")
    @Pattern(Formats.DURATION)
    @Default("30m")
    private String window = "30m";

    @JsonPropertyDescription("Report (list in status) or ScaleDown (scale to zero, reversibly).")
    @Default("Report")
    private IdleAction action = IdleAction.Report;

    @JsonPropertyDescription("Workloads whose pods match this selector are never reported or scaled down.")
    private LabelSelector exemptSelector;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public IdleMetric getMetric() {
        return metric;
    }

    public void setMetric(IdleMetric metric) {
        this.metric = metric;
    }

    public Integer getThresholdPercent() {
        return thresholdPercent;
    }

    public void setThresholdPercent(Integer thresholdPercent) {
        this.thresholdPercent = thresholdPercent;
    }

    public String getWindow() {
        return window;
    }

    public void setWindow(String window) {
        this.window = window;
    }

    public IdleAction getAction() {
        return action;
    }

    public void setAction(IdleAction action) {
        this.action = action;
    }

    public LabelSelector getExemptSelector() {
        return exemptSelector;
    }

    public void setExemptSelector(LabelSelector exemptSelector) {
        this.exemptSelector = exemptSelector;
    }
}
