package dev.finops.operator.cluster;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Pricing;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.PoolPricing;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.pricing.InstancePrice;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The price of every GPU node now: the catalog in force, with each GpuPool's overrides and reservations.
 * Rebuilt only when nodes, pools or prices changed, so thousands of budget passes share one book. The pools are
 * read from the GpuPool controller's own cache (handed over by its event source), not a second informer; a
 * change of a pool's pricing, selector or reservations is announced to the subscribers as a price change.
 */
@ApplicationScoped
public class NodePrices {

    private final ClusterView cluster;
    private final PriceCatalogSource catalog;
    private final Subscribers<ClusterListener> subscribers = new Subscribers<>(() -> { }, () -> { });
    private final Map<String, Long> pricedGenerations = new ConcurrentHashMap<>();
    private final AtomicLong poolVersion = new AtomicLong();
    private volatile Supplier<Stream<GpuPool>> pools = Stream::empty;
    private volatile Snapshot snapshot = new Snapshot(-1, -1, -1, null);

    private record Snapshot(long nodes, long pools, long prices, NodePriceBook book) {
    }

    public NodePrices(ClusterView cluster, PriceCatalogSource catalog) {
        this.cluster = cluster;
        this.catalog = catalog;
    }

    /** Where the pools are: the GpuPool controller's cache. */
    public void readPoolsFrom(Supplier<Stream<GpuPool>> source) {
        pools = source;
        poolVersion.incrementAndGet();
    }

    public void subscribe(ClusterListener listener) {
        subscribers.add(listener);
    }

    public void unsubscribe(ClusterListener listener) {
        subscribers.remove(listener);
    }

    /**
     * Told by the pool controller of every pool it sees: a new generation of a pool's spec (or a pool seen for the
     * first time) may change prices, so the book is rebuilt and every subscriber hears it.
     */
    public void poolObserved(GpuPool pool) {
        Long generation = pool.getMetadata().getGeneration();
        Long before = pricedGenerations.put(pool.getMetadata().getUid(), generation == null ? 0L : generation);
        if (!Objects.equals(before, generation == null ? 0L : generation)) {
            poolChanged();
        }
    }

    /** Told by the pool controller when a pool is deleted. */
    public void poolGone(GpuPool pool) {
        if (pricedGenerations.remove(pool.getMetadata().getUid()) != null) {
            poolChanged();
        }
    }

    private void poolChanged() {
        poolVersion.incrementAndGet();
        subscribers.notify(ClusterListener::pricesChanged);
    }

    public NodePriceBook book() {
        Snapshot current = snapshot;
        long nodes = cluster.nodeVersion();
        long poolsNow = poolVersion.get();
        long prices = catalog.version();
        if (current.book() != null && current.nodes() == nodes && current.pools() == poolsNow
                && current.prices() == prices) {
            return current.book();
        }
        NodePriceBook book = NodePriceBook.build(cluster.nodesForCost().values(), poolPricing(), catalog.catalog());
        snapshot = new Snapshot(nodes, poolsNow, prices, book);
        return book;
    }

    private List<PoolPricing> poolPricing() {
        List<PoolPricing> result = new ArrayList<>();
        for (GpuPool pool : (Iterable<GpuPool>) pools.get()::iterator) {
            toPricing(pool).ifPresent(result::add);
        }
        return result;
    }

    /** A pool's pricing, or empty when its spec cannot be used (its own status reports why). */
    static java.util.Optional<PoolPricing> toPricing(GpuPool pool) {
        GpuPoolSpec spec = pool.getSpec();
        try {
            LabelSelectorMatcher selector = LabelSelectorMatcher.compile("spec.nodeSelector", spec.getNodeSelector());
            Pricing pricing = spec.getPricing();
            InstancePrice overrides = pricing == null ? null : new InstancePrice(pricing.getInstanceType(), null, 0,
                    micros(pricing.getOnDemandPerHour()), micros(pricing.getSpotPerHour()),
                    micros(pricing.getReservedPerHour()));
            int reserved = spec.getCapacity() == null || spec.getCapacity().getReservedNodes() == null ? 0
                    : spec.getCapacity().getReservedNodes();
            return java.util.Optional.of(new PoolPricing(pool.getMetadata().getName(), selector,
                    pricing == null ? null : pricing.getInstanceType(), overrides, reserved));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static long micros(String price) {
        return price == null ? InstancePrice.UNKNOWN : Money.parseMicros(price);
    }
}
