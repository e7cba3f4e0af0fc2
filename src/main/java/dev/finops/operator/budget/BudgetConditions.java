package dev.finops.operator.budget;

/** Condition types of an ExperimentBudget, and the reasons its conditions give. */
public final class BudgetConditions {

    public static final String READY = "Ready";
    public static final String VALID = "Valid";
    public static final String ACCRUING = "Accruing";
    public static final String BUDGET_EXCEEDED = "BudgetExceeded";
    public static final String ENFORCED = "Enforced";
    public static final String PRICES_KNOWN = "PricesKnown";
    public static final String THRESHOLD_REACHED = "ThresholdReached";
    public static final String FORECAST_EXCEEDS_LIMIT = "ForecastExceedsLimit";

    /** Every reason a budget's own conditions give (Valid and Ready take theirs from the status package). */
    public enum Reason {
        WaitingForClusterView, Accruing,
        LedgerRestarted, Overflow,
        LimitReached, WithinLimit,
        BelowThresholds, ThresholdReached,
        NoPeriodEnd, ForecastAlertOff, ForecastOverLimit, ForecastWithinLimit,
        PriceCatalogInvalid, UnknownPrice, AllPricesKnown,
        Suspended, DryRun, NotEnforced, GracePeriod,
        /** Enforcement as a whole failed this pass (a defect: every workload's failure is its own entry). */
        EnforcementFailed
    }

    private BudgetConditions() {
    }
}
