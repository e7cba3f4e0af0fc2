package dev.finops.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed actions on workloads, by who acted (budget, pool), the workload's kind and why it failed: a Forbidden count
 * that keeps rising is a missing RBAC rule. Bounded labels: no workload names.
 */
@ApplicationScoped
public class ActionMetrics {

    private final MeterRegistry registry;

    public ActionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param actor "budget" or "pool"
     * @param reason the failure's kind, e.g. Forbidden, NotFound, Invalid, ServerError
     */
    public void failed(String actor, String kind, String reason) {
        failures(actor, kind, reason).increment();
    }

    public Counter failures(String actor, String kind, String reason) {
        return Counter.builder("finops.workload.actions.failed")
                .description("Actions on workloads that failed (the workload's status entry says why)")
                .tags("actor", actor, "kind", kind, "reason", reason)
                .register(registry);
    }
}
