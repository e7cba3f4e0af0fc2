package dev.finops.operator.api;

/** How often a budget's spend starts again from zero. */
public enum BudgetPeriod {
    Daily,
    Weekly,
    Monthly,
    /** Never resets: the budget of one experiment from start to end. */
    Total
}
