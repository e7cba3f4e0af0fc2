package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

public class ExperimentBudgetSpec {

    @JsonPropertyDescription("Team that owns the spend; shown in status, printer columns and metrics.")
    @Size(max = 63)
    private String team;

    @JsonPropertyDescription("Project the spend belongs to; shown in status and metrics.")
    @Size(max = 63)
    private String project;

    @JsonPropertyDescription("Person or group accountable for the budget.")
    @Size(max = 253)
    private String owner;

    @JsonPropertyDescription("Environment of the workloads, e.g. research, staging, production.")
    @Size(max = 63)
    private String environment;

    @JsonPropertyDescription("Selects the pods of this budget in its namespace (and, through their owners, their "
            + "workloads). An empty selector selects every pod in the namespace.")
    @Required
    private LabelSelector selector;

    @JsonPropertyDescription("The most this budget may spend per period, in spec.currency: a non-negative amount "
            + "with at most 2 decimals, as an integer or a string, e.g. 5000 or \"5000.50\".")
    @Required
    @ValidationRule(value = "type(self) == int ? self >= 0 && self <= 2147483647 : self.matches('" + Formats.MONEY
            + "')", message = "spec.limit must be a non-negative amount with at most 2 decimals and 12 digits, "
                    + "e.g. 5000 or \"5000.50\" (amounts above 2147483647 as a string)")
    private IntOrString limit;

    @JsonPropertyDescription("ISO 4217 code of spec.limit; must equal the price catalog's currency.")
    @Pattern(Formats.CURRENCY)
    @Default("USD")
    private String currency = "USD";

    @JsonPropertyDescription("When the spend starts again from zero: Daily, Weekly (Monday), Monthly, or Total "
            + "(never; the whole life of an experiment). A change takes effect from the next boundary: the current "
            + "period runs to its end, and a Total changed to a period ends at that period's next start.")
    @Default("Monthly")
    private BudgetPeriod period = BudgetPeriod.Monthly;

    @JsonPropertyDescription("IANA time zone in which periods start, e.g. Europe/Paris. A change takes effect from "
            + "the next boundary.")
    @Default("UTC")
    @Size(min = 1, max = 64)
    private String timeZone = "UTC";

    @JsonPropertyDescription("Alert thresholds in percent of the limit, strictly ascending, each 1..1000; each "
            + "fires once per period as a Warning Event.")
    @Default("[50, 80, 100]")
    @Size(max = 10)
    @ValidationRule(value = "self.all(a, a >= 1 && a <= 1000)",
            message = "spec.alerts: every threshold must be within 1..1000 percent")
    @ValidationRule(value = "self.isSorted() && self.all(a, self.indexOf(a) == self.lastIndexOf(a))",
            message = "spec.alerts must be strictly ascending, e.g. [50, 80, 100]")
    private List<Integer> alerts = List.of(50, 80, 100);

    @JsonPropertyDescription("Warn before it happens: an Event and condition when the spend forecast at period end "
            + "exceeds the limit.")
    @Default("true")
    private Boolean forecastAlert = true;

    @JsonPropertyDescription("What happens once the limit is spent; reversible.")
    @Default("{}")
    private Enforcement enforcement = new Enforcement();

    public String getTeam() {
        return team;
    }

    public void setTeam(String team) {
        this.team = team;
    }

    public String getProject() {
        return project;
    }

    public void setProject(String project) {
        this.project = project;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getEnvironment() {
        return environment;
    }

    public void setEnvironment(String environment) {
        this.environment = environment;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public IntOrString getLimit() {
        return limit;
    }

    public void setLimit(IntOrString limit) {
        this.limit = limit;
    }

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public BudgetPeriod getPeriod() {
        return period;
    }

    public void setPeriod(BudgetPeriod period) {
        this.period = period;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public List<Integer> getAlerts() {
        return alerts;
    }

    public void setAlerts(List<Integer> alerts) {
        this.alerts = alerts;
    }

    public Boolean getForecastAlert() {
        return forecastAlert;
    }

    public void setForecastAlert(Boolean forecastAlert) {
        this.forecastAlert = forecastAlert;
    }

    public Enforcement getEnforcement() {
        return enforcement;
    }

    public void setEnforcement(Enforcement enforcement) {
        this.enforcement = enforcement;
    }
}
