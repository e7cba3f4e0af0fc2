package dev.finops.operator.cluster;

import dev.finops.operator.metrics.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A controller's event source over the operator's shared cluster view: it hears every pod, pending pod, node and
 * price change once, and each subclass maps a change to exactly the primaries it touches (a secondary-to-primary
 * mapper over our own slim caches, since JOSDK cannot share one informer between two controllers). The framework
 * then reconciles those primaries, coalescing the events of one primary that arrive while it is reconciled.
 */
public abstract class ClusterEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P>
        implements ClusterListener {

    private final ClusterView cluster;
    private final PriceCatalogSource catalog;
    private final NodePrices prices;
    private final ReconcileMetrics metrics;
    private final String controller;

    protected ClusterEventSource(String name, String controller, ClusterView cluster, PriceCatalogSource catalog,
            NodePrices prices, ReconcileMetrics metrics) {
        super(Void.class, name);
        this.controller = controller;
        this.cluster = cluster;
        this.catalog = catalog;
        this.prices = prices;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        // the view's first subscriber starts its informers and waits for their list
        cluster.subscribe(this);
        catalog.subscribe(this);
        prices.subscribe(this);
        super.start();
    }

    @Override
    public void stop() {
        prices.unsubscribe(this);
        catalog.unsubscribe(this);
        cluster.unsubscribe(this);
        super.stop();
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }

    /** Reconciles each of {@code primaries} once for this change, and counts how many one change woke. */
    protected void trigger(String change, Stream<P> primaries) {
        Set<ResourceID> ids = new LinkedHashSet<>();
        primaries.forEach(primary -> ids.add(ResourceID.fromResource(primary)));
        metrics.eventMapped(controller, change, ids.size());
        if (!isRunning()) {
            return;
        }
        ids.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }

    /** The non-null sides of a change. */
    @SafeVarargs
    protected static <T> Stream<T> sides(T... sides) {
        return Stream.of(sides).filter(Objects::nonNull).distinct();
    }

    protected ClusterView cluster() {
        return cluster;
    }
}
