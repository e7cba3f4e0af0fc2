package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetAlertsTest {

    @Test
    void eachThresholdFiresOnceWhenReached() {
        List<Integer> thresholds = List.of(50, 80, 100);

        assertThat(BudgetAlerts.newlyReached(thresholds, 49, List.of())).isEmpty();
        assertThat(BudgetAlerts.newlyReached(thresholds, 85, List.of())).containsExactly(50, 80);
        assertThat(BudgetAlerts.newlyReached(thresholds, 85, List.of(50, 80))).isEmpty();
        assertThat(BudgetAlerts.newlyReached(thresholds, 130, List.of(50, 80))).containsExactly(100);
    }

    @Test
    void firedThresholdsMergeSortedWithoutDuplicates() {
        assertThat(BudgetAlerts.merge(List.of(80, 50), List.of(100, 80))).containsExactly(50, 80, 100);
        assertThat(BudgetAlerts.merge(null, List.of())).isEmpty();
    }
}
