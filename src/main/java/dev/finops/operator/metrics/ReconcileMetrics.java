package dev.finops.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** How often the operator recomputes each kind, and how often that changed a status. */
@ApplicationScoped
public class ReconcileMetrics {

    private final MeterRegistry registry;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void passCompleted(String kind, boolean statusWritten) {
        passes(kind).increment();
        if (statusWritten) {
            statusWrites(kind).increment();
        }
    }

    /** One cluster change mapped to the primaries it touches: how many changes, and how many primaries each woke. */
    public void eventMapped(String controller, String change, int primaries) {
        Counter.builder("finops.events").description("Cluster changes heard by a controller's event source")
                .tag("controller", controller).tag("change", change).register(registry).increment();
        DistributionSummary.builder("finops.event.primaries")
                .description("Primaries one cluster change reconciled: only the budgets or pools it touches")
                .tag("controller", controller).tag("change", change).register(registry).record(primaries);
    }

    public Counter passes(String kind) {
        return Counter.builder("finops.reconcile.passes")
                .description("Reconcile passes completed")
                .tag("kind", kind)
                .register(registry);
    }

    public Counter statusWrites(String kind) {
        return Counter.builder("finops.status.writes")
                .description("Passes that changed a status and wrote it")
                .tag("kind", kind)
                .register(registry);
    }
}
