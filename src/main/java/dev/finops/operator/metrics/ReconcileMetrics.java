package dev.finops.operator.metrics;

import io.micrometer.core.instrument.Counter;
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
