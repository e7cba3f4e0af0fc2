package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

public class Enforcement {

    @JsonPropertyDescription("What to do once the limit is spent: None (report only) or Suspend (spec.suspend=true on "
            + "Jobs and CronJobs, replicas 0 through /scale on Deployments, StatefulSets and other scalable workloads). "
            + "Every action is recorded on the workload and reversed when the cause goes away.")
    @Default("None")
    private EnforcementAction action = EnforcementAction.None;

    @JsonPropertyDescription("How long spend may stay at or above 100% of the limit before Suspend acts, "
            + "as a duration such as 15m or 1h.")
    @Pattern(Formats.DURATION)
    @Default("0s")
    private String gracePeriod = "0s";

    @JsonPropertyDescription("Decide and report (status, Events) without touching any workload.")
    @Default("false")
    private Boolean dryRun = false;

    @JsonPropertyDescription("Restore suspended workloads when a new period starts.")
    @Default("true")
    private Boolean restoreOnReset = true;

    public EnforcementAction getAction() {
        return action;
    }

    public void setAction(EnforcementAction action) {
        this.action = action;
    }

    public String getGracePeriod() {
        return gracePeriod;
    }

    public void setGracePeriod(String gracePeriod) {
        this.gracePeriod = gracePeriod;
    }

    public Boolean getDryRun() {
        return dryRun;
    }

    public void setDryRun(Boolean dryRun) {
        this.dryRun = dryRun;
    }

    public Boolean getRestoreOnReset() {
        return restoreOnReset;
    }

    public void setRestoreOnReset(Boolean restoreOnReset) {
        this.restoreOnReset = restoreOnReset;
    }
}
