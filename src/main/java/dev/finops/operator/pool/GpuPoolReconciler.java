package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.config.OneReconcilePerSecond;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.idle.PoolIdleDetection;
import dev.finops.operator.metrics.CostMetrics;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Observes a GpuPool, validates what the schema cannot, computes its cost picture, steers its capacity through its
 * provider and writes its status.
 */
@ControllerConfiguration(name = "gpupool", rateLimiter = OneReconcilePerSecond.class)
public class GpuPoolReconciler implements Reconciler<GpuPool>, Cleaner<GpuPool> {

    /** The conditions that must all be True for the pool to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(PoolConditions.VALID, PoolConditions.PRICES_KNOWN,
            PoolConditions.PROVIDER_SYNCED);

    private final Clock clock;
    private final OperatorConfig config;
    private final ReconcileMetrics metrics;
    private final CostMetrics costMetrics;
    private final ClusterView cluster;
    private final NodePrices prices;
    private final ConditionEvents events;
    private final PoolCapacitySteering capacity;
    private final PoolIdleDetection idle;
    private final PriceCatalogSource catalog;

    public GpuPoolReconciler(Clock clock, OperatorConfig config, ReconcileMetrics metrics, CostMetrics costMetrics,
            ClusterView cluster, NodePrices prices, ConditionEvents events, PoolCapacitySteering capacity,
            PoolIdleDetection idle, PriceCatalogSource catalog) {
        this.catalog = catalog;
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
        this.costMetrics = costMetrics;
        this.cluster = cluster;
        this.prices = prices;
        this.events = events;
        this.capacity = capacity;
        this.idle = idle;
    }

    private PoolTriggers triggers;

    /**
     * Pods, pending pods, nodes and prices reconcile exactly the pools they touch; the pass interval is only the
     * safety net. The node prices read the pools from this controller's cache.
     */
    @Override
    public List<EventSource<?, GpuPool>> prepareEventSources(EventSourceContext<GpuPool> context) {
        prices.readPoolsFrom(() -> context.getPrimaryCache().list());
        triggers = new PoolTriggers(context.getPrimaryCache(), cluster, catalog, prices, metrics);
        return List.of(triggers);
    }

    @Override
    public UpdateControl<GpuPool> reconcile(GpuPool pool, Context<GpuPool> context) {
        Instant now = clock.instant();
        prices.poolObserved(pool);
        Long generation = pool.getMetadata().getGeneration();
        GpuPoolStatus stored = pool.getStatus();
        GpuPoolStatus next = Statuses.copyOf(stored, GpuPoolStatus.class, GpuPoolStatus::new);
        List<Violation> violations = PoolSpecValidator.validate(pool.getSpec());

        next.setObservedGeneration(generation);
        next.setConditions(SpecValidity.record(next.getConditions(), violations, generation, now));
        if (violations.isEmpty() && cluster.synced()) {
            LabelSelectorMatcher selector = selector(pool);
            List<GpuNode> nodes = nodes(selector);
            List<GpuPod> pods = podsOn(nodes);
            PoolCostStatus.Figures figures = PoolCostStatus.apply(next, nodes, pods, prices.book(),
                    pool.getSpec().getCapacity().getReservedNodes(), generation, now);
            costMetrics.pool(pool.getMetadata().getName(), figures.costPerHourByCapacityType(),
                    figures.idleCostPerHour(), figures.gpus());
            capacity.apply(pool, next, selector, nodes, pods, generation, now);
            idle.apply(pool, next, nodes, pods, prices.book(), generation, now);
        } else if (violations.isEmpty()) {
            next.setConditions(Conditions.set(next.getConditions(), PoolConditions.PRICES_KNOWN, Conditions.UNKNOWN,
                    PoolConditions.Reason.WaitingForClusterView, "Waiting for the pod and node informers to sync.", generation, now));
        }
        next.setConditions(Readiness.rollUp(next.getConditions(), READY_DEPENDS_ON, generation, now,
                "The pool is observed and its provider, if any, follows the plan."));
        boolean write = Statuses.differs(stored, next);
        if (write) {
            events.publishTransitions(pool, stored == null ? null : stored.getConditions(), next.getConditions());
        }
        metrics.passCompleted("GpuPool", write);
        return StatusUpdates.patchIf(write, pool, next, GpuPool::setStatus, config.passInterval(), context,
                cluster.reachability());
    }

    @Override
    public DeleteControl cleanup(GpuPool pool, Context<GpuPool> context) {
        if (!idle.release(pool)) {
            // the finalizer stays until every workload the pool scaled down is back
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(config.passInterval());
        }
        costMetrics.forgetPool(pool.getMetadata().getName());
        prices.poolGone(pool);
        if (triggers != null) {
            triggers.forget(pool);
        }
        return DeleteControl.defaultDelete();
    }

    private static LabelSelectorMatcher selector(GpuPool pool) {
        return LabelSelectorMatcher.compile("spec.nodeSelector", pool.getSpec().getNodeSelector());
    }

    /** The pool's GPU nodes. */
    private List<GpuNode> nodes(LabelSelectorMatcher selector) {
        return cluster.nodes().stream().filter(node -> node.gpus().hasGpus() && selector.test(node.labels())).toList();
    }

    /** The pods on {@code nodes}. */
    private List<GpuPod> podsOn(List<GpuNode> nodes) {
        Set<String> names = nodes.stream().map(GpuNode::name).collect(Collectors.toSet());
        return cluster.allPods().stream().filter(pod -> names.contains(pod.nodeName())).toList();
    }
}
