package dev.finops.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CostMetrics metrics = new CostMetrics(registry);

    private List<String> series() {
        return registry.getMeters().stream().map(Meter::getId)
                .map(id -> id.getName() + "{team=" + id.getTag("team") + ",project=" + id.getTag("project")
                        + ",budget=" + id.getTag("budget") + "}")
                .sorted().toList();
    }

    @Test
    void aBudgetsSeriesFollowItsTagsInsteadOfKeepingTheOldOnesForever() {
        metrics.budget("ml", "sweep", "vision", "detector", "USD", 1_000_000, 5_000_000, 10, null);
        metrics.budget("ml", "other", "nlp", "llm", "USD", 1, 2, 3, 4L);

        metrics.budget("ml", "sweep", "perception", "detector-v2", "USD", 2_000_000, 5_000_000, 10, null);

        assertThat(series()).containsExactly(
                "finops.budget.burn.rate.per.hour{team=nlp,project=llm,budget=other}",
                "finops.budget.burn.rate.per.hour{team=perception,project=detector-v2,budget=sweep}",
                "finops.budget.forecast{team=nlp,project=llm,budget=other}",
                "finops.budget.forecast{team=perception,project=detector-v2,budget=sweep}",
                "finops.budget.limit{team=nlp,project=llm,budget=other}",
                "finops.budget.limit{team=perception,project=detector-v2,budget=sweep}",
                "finops.budget.spent{team=nlp,project=llm,budget=other}",
                "finops.budget.spent{team=perception,project=detector-v2,budget=sweep}");
        assertThat(registry.get("finops.budget.spent").tag("budget", "sweep").gauge().value()).isEqualTo(2.0);
    }

    @Test
    void aDeletedBudgetLeavesNoSeriesNotEvenItsAlertCounters() {
        metrics.budget("ml", "sweep", "vision", "detector", "USD", 1_000_000, 5_000_000, 10, null);
        metrics.alertFired("ml", "sweep", 50);
        metrics.alertFired("ml", "sweep", 80);
        metrics.budget("ml", "other", "nlp", "llm", "USD", 1, 2, 3, 4L);
        metrics.alertFired("ml", "other", 50);

        metrics.forgetBudget("ml", "sweep");

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getTag("budget")).containsOnly("other");
        assertThat(registry.getMeters()).hasSize(5);
        metrics.budget("ml", "sweep", "vision", "detector", "USD", 3_000_000, 5_000_000, 10, null);
        assertThat(registry.get("finops.budget.spent").tag("budget", "sweep").gauge().value())
                .as("a budget of the same name again starts clean").isEqualTo(3.0);
    }
}
