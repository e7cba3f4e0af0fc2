package dev.finops.operator.cost;

/** What a closed period spent, exactly. */
public record PeriodTotal(BudgetWindow window, long spentMicros) {
}
