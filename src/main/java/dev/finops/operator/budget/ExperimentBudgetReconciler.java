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
import dev.finops.operator.status.PendingEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.Readiness;
import dev.finops.operator.status.SpecValidity;
import dev.finops.operator.status.StatusUpdates;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.validation.Violation;
import dev.finops.operator.workload.ActionFailure;
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
import org.jboss.logging.Logger;

/**
 * Observes an ExperimentBudget, validates what the schema cannot, accrues its cost from the cluster view and
 * writes its status when {@link BudgetWritePolicy} says so.
 */
@ControllerConfiguration(name = "experimentbudget", rateLimiter = OneReconcilePerSecond.class)
public class ExperimentBudgetReconciler implements Reconciler<ExperimentBudget>, Cleaner<ExperimentBudget> {

    /** The conditions that must all be True for the budget to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(BudgetConditions.VALID, BudgetConditions.ACCRUING,
            BudgetConditions.PRICES_KNOWN);

    private static final Logger LOG = Logger.getLogger(ExperimentBudgetReconciler.class);

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
        PendingEvents notices = new PendingEvents();

        next.setObservedGeneration(generation);
        next.setConditions(SpecValidity.record(next.getConditions(), violations, generation, now));
        Duration nextPass = config.passInterval();
        boolean podsSettled = false;
        if (!violations.isEmpty()) {
            next.setPhase(BudgetPhase.Invalid);
        } else if (cluster.synced()) {
            repair(budget, next, notices);
            List<GpuPod> pods = cluster.podsMatching(budget.getMetadata().getNamespace(),
                    LabelSelectorMatcher.compile("spec.selector", budget.getSpec().getSelector()));
            BudgetCostStatus.Figures figures = BudgetCostStatus.apply(next, inputs(budget, pods, now));
            figures.alerts().forEach(threshold -> alert(budget, next, threshold, notices));
            if (!ledgerFirst(budget, stored, next, now, notices, context)) {
                return UpdateControl.<ExperimentBudget>noUpdate().rescheduleAfter(StatusUpdates.AFTER_CONFLICT);
            }
            enforce(budget, next, pods, now, notices);
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
        metrics.passCompleted("ExperimentBudget", write);
        // what the status records is told only once it is written: a write lost to another writer tells nothing
        return StatusUpdates.patchIf(write, budget, next, ExperimentBudget::setStatus, nextPass, context,
                cluster.reachability(), () -> {
            events.publishTransitions(budget, stored == null ? null : stored.getConditions(), next.getConditions());
            notices.publishTo(events);
        });
    }

    /**
     * The ledger is written before anything is suspended: the pods a suspension deletes live on only in this
     * process's memory, so a crash between the suspension and the status write would lose what they cost since the
     * stored ledger, and a successor would even take the budget for under its limit. Only when this pass may
     * suspend and the spend moved since the stored status; what it records is told once written. False when the
     * budget changed meanwhile (the pass is then redone from the fresh one).
     */
    private boolean ledgerFirst(ExperimentBudget budget, ExperimentBudgetStatus stored, ExperimentBudgetStatus next,
            Instant now, PendingEvents notices, Context<ExperimentBudget> context) {
        boolean moved = stored == null || stored.getLedger() == null
                || !java.util.Objects.equals(stored.getLedger().getSpentMicros(), next.getLedger().getSpentMicros());
        // once the stored status says the limit was crossed, a successor enforces whatever it can count, and the
        // pass's own write follows: a budget whose unstoppable pods keep costing does not write twice a pass
        boolean crossingStored = stored != null && Conditions.find(stored.getConditions(),
                BudgetConditions.BUDGET_EXCEEDED).filter(c -> Conditions.TRUE.equals(c.getStatus())).isPresent();
        if (!moved || crossingStored || !enforcement.maySuspend(budget, next, now)) {
            return true;
        }
        ExperimentBudgetStatus first = Statuses.copyOf(next, ExperimentBudgetStatus.class, ExperimentBudgetStatus::new);
        java.util.Optional<ExperimentBudget> written = StatusUpdates.write(budget, first, ExperimentBudget::setStatus,
                context, cluster.reachability());
        if (written.isEmpty()) {
            return false;
        }
        budget.getMetadata().setResourceVersion(written.get().getMetadata().getResourceVersion());
        events.publishTransitions(budget, stored == null ? null : stored.getConditions(), first.getConditions());
        notices.publishTo(events);
        return true;
    }

    /**
     * Enforcement never holds the ledger back: every workload's failure is its own status entry, and should
     * anything else go wrong, the pass still writes what it accrued and says so in the Enforced condition.
     */
    private void enforce(ExperimentBudget budget, ExperimentBudgetStatus next, List<GpuPod> pods, Instant now,
            PendingEvents notices) {
        try {
            enforcement.apply(budget, next, pods, now, notices);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Enforcement of budget %s/%s failed; its ledger is written all the same",
                    budget.getMetadata().getNamespace(), budget.getMetadata().getName());
            next.setConditions(Conditions.set(next.getConditions(), BudgetConditions.ENFORCED, Conditions.UNKNOWN,
                    BudgetConditions.Reason.EnforcementFailed, "Enforcement failed this pass and is tried again on "
                            + "the next: " + e, budget.getMetadata().getGeneration(), now));
        }
    }

    /** Times in the stored status that do not parse are repaired, and said once (the write then fixes them). */
    private static void repair(ExperimentBudget budget, ExperimentBudgetStatus next, PendingEvents notices) {
        List<String> repaired = BudgetStatusRepair.repair(next, budget.getSpec(),
                Instant.parse(budget.getMetadata().getCreationTimestamp()));
        if (!repaired.isEmpty()) {
            LOG.warnf("Budget %s/%s had times in its status that do not parse: %s", budget.getMetadata().getNamespace(),
                    budget.getMetadata().getName(), repaired);
            notices.add(budget, "Warning", "StatusRepaired", "Times in the status did not parse and were repaired: "
                    + String.join("; ", repaired) + ". Only the operator should write this status.");
        }
    }

    @Override
    public DeleteControl cleanup(ExperimentBudget budget, Context<ExperimentBudget> context) {
        List<ActionFailure> failed = enforcement.restoreEverything(budget);
        // no rights, or gone: waiting would hold the budget for ever; anything else is tried again soon
        if (failed.stream().anyMatch(f -> f.reason() != ActionFailure.Reason.Forbidden
                && f.reason() != ActionFailure.Reason.NotFound)) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.passInterval());
        }
        failed.forEach(f -> events.publish(budget, "Warning", "CannotRestore", f.message()
                + "; the budget is deleted, so set replicas (or spec.suspend) back by hand and remove the "
                + "finops.dev/ annotations"));
        if (triggers != null) {
            triggers.forget(budget);
        }
        costMetrics.forgetBudget(budget.getMetadata().getNamespace(), budget.getMetadata().getName());
        return DeleteControl.defaultDelete();
    }

    /** An alert, told and counted once the status write recording it in alertsFired succeeded. */
    private void alert(ExperimentBudget budget, ExperimentBudgetStatus status, int threshold, PendingEvents notices) {
        ExperimentBudgetSpec spec = budget.getSpec();
        notices.add(budget, "Warning", "BudgetThresholdReached", "Budget " + budget.getMetadata().getName()
                + " reached " + threshold + "% of its limit: spent " + status.getSpent() + " of "
                + Money.formatCents(Money.parseMicros(spec.getLimit())) + " " + spec.getCurrency() + " ("
                + status.getPercentUsed() + "%).");
        notices.andThen(() -> costMetrics.alertFired(budget.getMetadata().getNamespace(), budget.getMetadata().getName(),
                threshold));
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
