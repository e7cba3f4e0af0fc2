package dev.finops.operator;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;

/** The one place tests read a condition of a budget or pool they fetched (which may not exist yet). */
public final class StatusConditions {

    private StatusConditions() {
    }

    public static Optional<Condition> condition(ExperimentBudget budget, String type) {
        return budget == null || budget.getStatus() == null ? Optional.empty()
                : Conditions.find(budget.getStatus().getConditions(), type);
    }

    public static Optional<Condition> condition(GpuPool pool, String type) {
        return pool == null || pool.getStatus() == null ? Optional.empty()
                : Conditions.find(pool.getStatus().getConditions(), type);
    }

    /** The condition of {@code type}, or an assertion error naming what is there instead. */
    public static Condition required(List<Condition> conditions, String type) {
        return Conditions.find(conditions, type)
                .orElseThrow(() -> new AssertionError("no " + type + " condition in " + conditions));
    }
}
