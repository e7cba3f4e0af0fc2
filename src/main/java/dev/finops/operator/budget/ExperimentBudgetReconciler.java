package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.config.OneReconcilePerSecond;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.PodCharges;
import dev.finops.operator.metrics.CostMetrics;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.Readiness;
import dev.finops.operator.status.SpecValidity;
import dev.finops.operator.status.StatusUpdates;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.validation.Violation;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Observes an ExperimentBudget, validates what the schema cannot, accrues its cost from the cluster view and
 * writes its status when {@link BudgetWritePolicy} says so.
 */
@ControllerConfiguration(name = "experimentbudget", rateLimiter = OneReconcilePerSecond.class)
public class ExperimentBudgetReconciler implements Reconciler<ExperimentBudget>, Cleaner<ExperimentBudget> {

    /** The conditions that must all be True for the budget to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(BudgetConditions.VALID, BudgetConditions.ACCRUING,
            BudgetConditions.PRICES_KNOWN);

    private final Clock clock;
    private final OperatorConfig config;
    private final ReconcileMetrics metrics;
    private final CostMetrics costMetrics;
    private final ClusterView cluster;
    private final NodePrices prices;
    private final ConditionEvents events;
    private final BudgetEnforcement enforcement;
    private final PriceCatalogSource catalog;

    public ExperimentBudgetReconciler(Clock clock, OperatorConfig config, ReconcileMetrics metrics,
            CostMetrics costMetrics, ClusterView cluster, NodePrices prices, PriceCatalogSource catalog,
            ConditionEvents events, BudgetEnforcement enforcement) {
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.costMetrics = costMetrics;
        this.cluster = cluster;
        this.prices = prices;
        this.events = events;
        this.enforcement = enforcement;
        this.catalog = catalog;
    }

    private BudgetTriggers triggers;

    /** Pods, nodes and prices reconcile exactly the budgets they touch; the pass interval is only the safety net. */
    @Override
    public List<EventSource<?, ExperimentBudget>> prepareEventSources(EventSourceContext<ExperimentBudget> context) {
        triggers = new BudgetTriggers(context.getPrimaryCache(), cluster, catalog, prices, metrics);
        return List.of(triggers);
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
        List<Integer> alerts = List.of();
        Duration nextPass = config.passInterval();
        boolean podsSettled = false;
        if (!violations.isEmpty()) {
            next.setPhase(BudgetPhase.Invalid);
        } else if (cluster.synced()) {
            List<GpuPod> pods = cluster.podsMatching(budget.getMetadata().getNamespace(),
                    LabelSelectorMatcher.compile("spec.selector", budget.getSpec().getSelector()));
            BudgetCostStatus.Figures figures = BudgetCostStatus.apply(next, inputs(budget, pods, now));
            alerts = figures.alerts();
            enforcement.apply(budget, next, pods, now);
            recordMetrics(budget, next, figures);
            PodSettling settling = PodSettling.of(pods, stored, next, now, config.accrualSettleDelay());
            podsSettled = settling.settledThisPass();
            nextPass = settling.nextSettle().filter(at -> at.compareTo(config.passInterval()) < 0)
                    .orElse(config.passInterval());
        } else {
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ACCRUING, Conditions.UNKNOWN,
                    BudgetConditions.Reason.WaitingForClusterView, "Waiting for the pod and node informers to sync.", generation, now));
        }
        next.setConditions(Readiness.rollUp(next.getConditions(), READY_DEPENDS_ON, generation, now,
                "The budget is tracked."));
        boolean write = podsSettled || BudgetWritePolicy.shouldWrite(stored, next, now, config.ledgerMaxLag());
        if (write) {
            events.publishTransitions(budget, stored == null ? null : stored.getConditions(), next.getConditions());
            alerts.forEach(threshold -> alert(budget, next, threshold));
        }
        metrics.passCompleted("ExperimentBudget", write);
        return StatusUpdates.patchIf(write, budget, next, ExperimentBudget::setStatus, nextPass, context,
                cluster.reachability());
    }

    @Override
    public DeleteControl cleanup(ExperimentBudget budget, Context<ExperimentBudget> context) {
        enforcement.restoreEverything(budget);
        if (triggers != null) {
            triggers.forget(budget);
        }
        costMetrics.forgetBudget(budget.getMetadata().getNamespace(), budget.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    private void alert(ExperimentBudget budget, ExperimentBudgetStatus status, int threshold) {
        ExperimentBudgetSpec spec = budget.getSpec();
        events.publish(budget, "Warning", "BudgetThresholdReached", "Budget " + budget.getMetadata().getName()
                + " reached " + threshold + "% of its limit: spent " + status.getSpent() + " of "
                + Money.formatCents(Money.parseMicros(spec.getLimit())) + " " + spec.getCurrency() + " ("
                + status.getPercentUsed() + "%).");
        costMetrics.alertFired(budget.getMetadata().getNamespace(), budget.getMetadata().getName(), threshold);
    }

    private BudgetInputs inputs(ExperimentBudget budget, List<GpuPod> pods, Instant now) {
        ExperimentBudgetSpec spec = budget.getSpec();
        NodePriceBook book = prices.book();
        PodCharges.Result charges = PodCharges.of(pods, cluster.nodesForCost(), book);
        String catalogCurrency = catalog.catalog().currency().orElse("USD");
        String problem = catalog.problem().orElse(null);
        if (problem == null && !catalogCurrency.equals(spec.getCurrency())) {
            problem = "spec.currency is " + spec.getCurrency() + " but the price catalog is in " + catalogCurrency
                    + "; set spec.currency to " + catalogCurrency + " or load a catalog in " + spec.getCurrency();
        }
        return new BudgetInputs(spec, Instant.parse(budget.getMetadata().getCreationTimestamp()),
                budget.getMetadata().getGeneration(), charges.charges(), charges.unpricedPods(),
                charges.unpricedInstanceTypes(), problem, now, cluster.reachability().accrueUntil(now));
    }

    private void recordMetrics(ExperimentBudget budget, ExperimentBudgetStatus status,
            BudgetCostStatus.Figures figures) {
        ExperimentBudgetSpec spec = budget.getSpec();
        costMetrics.budget(budget.getMetadata().getNamespace(), budget.getMetadata().getName(), spec.getTeam(),
                spec.getProject(), spec.getCurrency(), status.getLedger().getSpentMicros(),
                Money.parseMicros(spec.getLimit()), figures.burnMicrosPerHour(), figures.forecastMicros());
    }
}
