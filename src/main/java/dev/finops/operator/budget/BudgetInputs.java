package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.cost.PodCharge;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything a budget's cost status is computed from, gathered by the reconciler. Cost is counted up to
 * {@code accrueUntil}, a settle delay before {@code now}.
 */
record BudgetInputs(ExperimentBudgetSpec spec, Instant created, Long generation, List<PodCharge> charges,
        int unpricedPods, Set<String> unpricedInstanceTypes, String priceProblem, Instant now, Instant accrueUntil) {
}
