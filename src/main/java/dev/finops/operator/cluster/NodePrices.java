package dev.finops.operator.cluster;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Pricing;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.PoolPricing;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.pricing.InstancePrice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The price of every GPU node now: the catalog in force, with each GpuPool's overrides and reservations.
 * Rebuilt only when nodes, pools or prices changed, so thousands of budget passes share one book.
 */
@ApplicationScoped
public class NodePrices {

    private final KubernetesClient client;
    private final ClusterView cluster;
    private final PriceCatalogSource catalog;
    private final AtomicLong poolVersion = new AtomicLong();
    private SharedIndexInformer<GpuPool> pools;
    private volatile Snapshot snapshot = new Snapshot(-1, -1, -1, null);

    private record Snapshot(long nodes, long pools, long prices, NodePriceBook book) {
    }

    public NodePrices(KubernetesClient client, ClusterView cluster, PriceCatalogSource catalog) {
        this.client = client;
        this.cluster = cluster;
        this.catalog = catalog;
    }

    void start(@Observes StartupEvent event) {
        pools = client.resources(GpuPool.class).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GpuPool pool) {
                poolVersion.incrementAndGet();
            }

            @Override
            public void onUpdate(GpuPool before, GpuPool after) {
                if (!java.util.Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())) {
                    poolVersion.incrementAndGet();
                }
            }

            @Override
            public void onDelete(GpuPool pool, boolean finalStateUnknown) {
                poolVersion.incrementAndGet();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        if (pools != null) {
            pools.close();
        }
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
        for (GpuPool pool : pools == null ? List.<GpuPool>of() : pools.getStore().list()) {
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
