package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.config.OneReconcilePerSecond;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.idle.IdleDetectionReason;
import dev.finops.operator.idle.PoolIdleDetection;
import dev.finops.operator.metrics.CostMetrics;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.status.PendingEvents;
import dev.finops.operator.status.Readiness;
import dev.finops.operator.status.SpecValidity;
import dev.finops.operator.status.StatusUpdates;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.status.Timestamps;
import dev.finops.operator.validation.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Observes a GpuPool, validates what the schema cannot, computes its cost picture, steers its capacity through its
 * provider and writes its status.
 */
@ControllerConfiguration(name = "gpupool", rateLimiter = OneReconcilePerSecond.class)
public class GpuPoolReconciler implements Reconciler<GpuPool>, Cleaner<GpuPool> {

    /** The conditions that must all be True for the pool to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(PoolConditions.VALID, PoolConditions.PRICES_KNOWN,
            PoolConditions.PROVIDER_SYNCED);

    /** A provider object changed since it was read: the pass comes back this soon, on the fresh object. */
    static final Duration AFTER_PROVIDER_CONFLICT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(GpuPoolReconciler.class);

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
        PendingEvents notices = new PendingEvents();
        Duration nextPass = config.passInterval();
        if (violations.isEmpty() && cluster.synced()) {
            repair(pool, next, notices);
            LabelSelectorMatcher selector = selector(pool);
            List<GpuNode> nodes = nodes(selector);
            List<GpuPod> pods = podsOn(nodes);
            PoolCostStatus.Figures figures = PoolCostStatus.apply(next, nodes, pods, prices.book(),
                    pool.getSpec().getCapacity().getReservedNodes(), generation, now);
            costMetrics.pool(pool.getMetadata().getName(), figures.costPerHourByCapacityType(),
                    figures.idleCostPerHour(), figures.gpus());
            nextPass = steer(pool, next, selector, nodes, pods, now);
            detectIdle(pool, next, nodes, pods, now);
        } else if (violations.isEmpty()) {
            next.setConditions(Conditions.set(next.getConditions(), PoolConditions.PRICES_KNOWN, Conditions.UNKNOWN,
                    PoolConditions.Reason.WaitingForClusterView, "Waiting for the pod and node informers to sync.", generation, now));
        }
        next.setConditions(Readiness.rollUp(next.getConditions(), READY_DEPENDS_ON, generation, now,
                "The pool is observed and its provider, if any, follows the plan."));
        boolean write = Statuses.differs(stored, next);
        metrics.passCompleted("GpuPool", write);
        return StatusUpdates.patchIf(write, pool, next, GpuPool::setStatus, nextPass, context,
                cluster.reachability(), () -> {
            events.publishTransitions(pool, stored == null ? null : stored.getConditions(), next.getConditions());
            notices.publishTo(events);
        });
    }

    /**
     * Capacity steering never holds the cost picture back: a provider call that throws is the ProviderSynced
     * condition's news, and the pass writes the rest. A conflict (the NodePool changed since it was read) keeps
     * the condition as it was and comes back in a second. Returns when to come back.
     */
    private Duration steer(GpuPool pool, GpuPoolStatus next, LabelSelectorMatcher selector, List<GpuNode> nodes,
            List<GpuPod> pods, Instant now) {
        List<Condition> before = next.getConditions();
        try {
            capacity.apply(pool, next, selector, nodes, pods, pool.getMetadata().getGeneration(), now);
            return config.passInterval();
        } catch (RuntimeException e) {
            if (e instanceof KubernetesClientException conflict && conflict.getCode() == 409) {
                next.setConditions(before);
                return AFTER_PROVIDER_CONFLICT;
            }
            LOG.warnf(e, "Capacity steering of pool %s failed; its status is written all the same",
                    pool.getMetadata().getName());
            next.setConditions(Conditions.set(before, PoolConditions.PROVIDER_SYNCED, false,
                    PoolConditions.Reason.ProviderCallFailed, "Steering the provider failed and is tried again on "
                            + "the next pass: " + e.getMessage(), pool.getMetadata().getGeneration(), now));
            return config.passInterval();
        }
    }

    /** Idle detection likewise: whatever throws there is the IdleDetectionAvailable condition's news. */
    private void detectIdle(GpuPool pool, GpuPoolStatus next, List<GpuNode> nodes, List<GpuPod> pods, Instant now) {
        try {
            idle.apply(pool, next, nodes, pods, prices.book(), pool.getMetadata().getGeneration(), now);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Idle detection of pool %s failed; its status is written all the same",
                    pool.getMetadata().getName());
            next.setConditions(Conditions.set(next.getConditions(), PoolConditions.IDLE_DETECTION_AVAILABLE, false,
                    IdleDetectionReason.DetectionFailed, "Idle detection failed this pass, nothing was scaled down, "
                            + "and it is tried again on the next: " + e, pool.getMetadata().getGeneration(), now));
        }
    }

    /** Times in the stored status that do not parse are dropped, and said once (the write then fixes them). */
    private static void repair(GpuPool pool, GpuPoolStatus next, PendingEvents notices) {
        List<String> repaired = new ArrayList<>(Timestamps.clearGarbage(next.getConditions()));
        for (GpuPoolStatus status : Arrays.asList(pool.getStatus(), next)) {
            if (status != null && status.getInterruptions() != null
                    && Timestamps.garbage(status.getInterruptions().getFallbackUntil())) {
                repaired.add("status.interruptions.fallbackUntil (" + status.getInterruptions().getFallbackUntil() + ")");
                status.getInterruptions().setFallbackUntil(null);
            }
        }
        if (!repaired.isEmpty()) {
            notices.add(pool, "Warning", "StatusRepaired", "Times in the status did not parse and were dropped: "
                    + String.join("; ", repaired.stream().distinct().toList()) + ". Only the operator should write "
                    + "this status.");
        }
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
