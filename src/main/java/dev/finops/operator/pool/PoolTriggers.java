package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.cluster.ClusterEventSource;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.NodePrices;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.PendingPod;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Which pools a cluster change touches: a pod wakes the pools whose selector matches the node it runs on (before
 * or after the change); an unscheduled GPU pod wakes the pools it can only land in; a node wakes the pools whose
 * selector matches its labels before or after; a price change wakes every pool.
 */
final class PoolTriggers extends ClusterEventSource<GpuPool> {

    private final IndexerResourceCache<GpuPool> pools;
    private final Map<String, Compiled> selectors = new ConcurrentHashMap<>();

    private record Compiled(Long generation, LabelSelectorMatcher matcher) {
    }

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
        return pools.list().filter(pool -> selects(pool, node));
    }

    private boolean selects(GpuPool pool, GpuNode node) {
        Long generation = pool.getMetadata().getGeneration();
        Compiled compiled = selectors.get(pool.getMetadata().getUid());
        if (compiled == null || !Objects.equals(compiled.generation(), generation)) {
            compiled = new Compiled(generation, compile(pool));
            selectors.put(pool.getMetadata().getUid(), compiled);
        }
        return compiled.matcher() != null && compiled.matcher().test(node.labels());
    }

    private static LabelSelectorMatcher compile(GpuPool pool) {
        try {
            return LabelSelectorMatcher.compile("spec.nodeSelector", pool.getSpec().getNodeSelector());
        } catch (RuntimeException e) {
            return null;
        }
    }

    void forget(GpuPool pool) {
        selectors.remove(pool.getMetadata().getUid());
    }
}
