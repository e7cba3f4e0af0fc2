package dev.finops.operator.api;

/** Where a budget stands, most severe last. */
public enum BudgetPhase {
    Active,
    /** An alert threshold was crossed. */
    Warning,
    /** The limit is spent. */
    Exceeded,
    /** Enforcement acted on the selected workloads. */
    Enforced,
    /** The spec cannot be used; see the Valid condition. */
    Invalid
}
