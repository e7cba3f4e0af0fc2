package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.status.Readiness;
import dev.finops.operator.status.SpecValidity;
import dev.finops.operator.status.StatusUpdates;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.validation.Violation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Observes an ExperimentBudget, validates what the schema cannot, and writes its status when it changed. */
@ControllerConfiguration(name = "experimentbudget")
public class ExperimentBudgetReconciler implements Reconciler<ExperimentBudget> {

    /** The conditions that must all be True for the budget to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(BudgetConditions.VALID);

    private final Clock clock;
    private final OperatorConfig config;
    private final ReconcileMetrics metrics;

    public ExperimentBudgetReconciler(Clock clock, OperatorConfig config, ReconcileMetrics metrics) {
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public UpdateControl<ExperimentBudget> reconcile(ExperimentBudget budget, Context<ExperimentBudget> context) {
        Instant now = clock.instant();
        Long generation = budget.getMetadata().getGeneration();
        ExperimentBudgetStatus stored = budget.getStatus();
        ExperimentBudgetStatus next = Statuses.copyOf(stored, ExperimentBudgetStatus.class, ExperimentBudgetStatus::new);
        List<Violation> violations = BudgetSpecValidator.validate(budget.getSpec());

        next.setObservedGeneration(generation);
        next.setConditions(SpecValidity.record(next.getConditions(), violations, generation, now));
        next.setConditions(Readiness.rollUp(next.getConditions(), READY_DEPENDS_ON, generation, now,
                "The budget is tracked."));
        next.setPhase(phase(next.getPhase(), violations));
        UpdateControl<ExperimentBudget> control = StatusUpdates.patchIfChanged(budget, stored, next,
                ExperimentBudget::setStatus, config.passInterval());
        metrics.passCompleted("ExperimentBudget", control.isPatchStatus());
        return control;
    }

    private static BudgetPhase phase(BudgetPhase current, List<Violation> violations) {
        if (!violations.isEmpty()) {
            return BudgetPhase.Invalid;
        }
        return current == null || current == BudgetPhase.Invalid ? BudgetPhase.Active : current;
    }
}
