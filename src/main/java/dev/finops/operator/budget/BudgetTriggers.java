package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.cluster.ClusterEventSource;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.cluster.SelectorCache;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which budgets a cluster change touches: a pod wakes the budgets of its namespace whose selector matches it
 * before or after the change (a pod relabelled out of a selector wakes the budget it left); a node whose price
 * inputs changed wakes the budgets with pods on it; a price change wakes every budget.
 */
final class BudgetTriggers extends ClusterEventSource<ExperimentBudget> {

    private final IndexerResourceCache<ExperimentBudget> budgets;
    private final SelectorCache<ExperimentBudget> selectors =
            new SelectorCache<>("spec.selector", budget -> budget.getSpec().getSelector());

    BudgetTriggers(IndexerResourceCache<ExperimentBudget> budgets, ClusterView cluster, PriceCatalogSource catalog,
            NodePrices prices, ReconcileMetrics metrics) {
        super("budget-cluster-changes", "ExperimentBudget", cluster, catalog, prices, metrics);
        this.budgets = budgets;
    }

    @Override
    public void podChanged(GpuPod before, GpuPod after) {
        trigger("pod", sides(before, after).flatMap(this::budgetsOf).distinct());
    }

    @Override
    public void nodeChanged(GpuNode before, GpuNode after) {
        if (before == null || after == null || !Objects.equals(before.instanceType(), after.instanceType())
                || before.capacityType() != after.capacityType() || !Objects.equals(before.gpus(), after.gpus())) {
            String name = (after == null ? before : after).name();
            trigger("node", cluster().podsOn(name).stream().flatMap(this::budgetsOf).distinct());
        }
    }

    @Override
    public void pricesChanged() {
        trigger("prices", budgets.list());
    }

    private Stream<ExperimentBudget> budgetsOf(GpuPod pod) {
        return budgets.list(pod.namespace()).filter(budget -> selectors.matches(budget, pod.labels()));
    }

    /** A deleted primary's compiled selector is dropped. */
    void forget(ExperimentBudget budget) {
        selectors.forget(budget);
    }
}
