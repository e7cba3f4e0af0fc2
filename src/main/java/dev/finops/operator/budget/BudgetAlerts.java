package dev.finops.operator.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which alert thresholds fire: each once per period, when the spend first reaches it. Pure. */
final class BudgetAlerts {

    private BudgetAlerts() {
    }

    /** The thresholds reached and not yet fired this period, ascending. */
    static List<Integer> newlyReached(List<Integer> thresholds, int percentUsed, List<Integer> alreadyFired) {
        List<Integer> reached = new ArrayList<>();
        for (Integer threshold : thresholds == null ? List.<Integer>of() : thresholds) {
            if (percentUsed >= threshold && (alreadyFired == null || !alreadyFired.contains(threshold))) {
                reached.add(threshold);
            }
        }
        return reached;
    }

    static List<Integer> merge(List<Integer> alreadyFired, List<Integer> newlyFired) {
        TreeSet<Integer> all = new TreeSet<>(alreadyFired == null ? List.of() : alreadyFired);
        all.addAll(newlyFired);
        return List.copyOf(all);
    }
}
