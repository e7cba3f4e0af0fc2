package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.cluster.ClusterEventSource;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.cluster.SelectorCache;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.PendingPod;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which pools a cluster change touches: a pod wakes the pools whose selector matches the node it runs on (before
 * or after the change); an unscheduled GPU pod wakes the pools it can only land in; a node wakes the pools whose
 * selector matches its labels before or after; a price change wakes every pool.
 */
final class PoolTriggers extends ClusterEventSource<GpuPool> {

    private final IndexerResourceCache<GpuPool> pools;
    private final SelectorCache<GpuPool> selectors =
            new SelectorCache<>("spec.nodeSelector", pool -> pool.getSpec().getNodeSelector());

    PoolTriggers(IndexerResourceCache<GpuPool> pools, ClusterView cluster, PriceCatalogSource catalog,
            NodePrices prices, ReconcileMetrics metrics) {
        super("pool-cluster-changes", "GpuPool", cluster, catalog, prices, metrics);
        this.pools = pools;
    }

    @Override
    public void podChanged(GpuPod before, GpuPod after) {
        trigger("pod", sides(before, after).map(GpuPod::nodeName).filter(Objects::nonNull).distinct()
                .map(cluster()::node).filter(Objects::nonNull).flatMap(this::poolsOf).distinct());
    }

    @Override
    public void pendingPodChanged(PendingPod before, PendingPod after) {
        trigger("pending-pod", pools.list().filter(pool -> sides(before, after).anyMatch(pod -> PoolDemand.bindsTo(
                pod, PoolDemand.pinnedLabels(pool.getSpec().getNodeSelector())))));
    }

    @Override
    public void nodeChanged(GpuNode before, GpuNode after) {
        trigger("node", sides(before, after).flatMap(this::poolsOf).distinct());
    }

    @Override
    public void pricesChanged() {
        trigger("prices", pools.list());
    }

    private Stream<GpuPool> poolsOf(GpuNode node) {
        return pools.list().filter(pool -> selectors.matches(pool, node.labels()));
    }

    /** A deleted primary's compiled selector is dropped. */
    void forget(GpuPool pool) {
        selectors.forget(pool);
    }
}
