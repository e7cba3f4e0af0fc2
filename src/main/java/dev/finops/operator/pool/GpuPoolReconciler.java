package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.metrics.ReconcileMetrics;
import dev.finops.operator.status.Readiness;
import dev.finops.operator.status.SpecValidity;
import dev.finops.operator.status.StatusUpdates;
import dev.finops.operator.status.Statuses;
import dev.finops.operator.validation.Violation;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Observes a GpuPool, validates what the schema cannot, and writes its status when it changed. */
@ControllerConfiguration(name = "gpupool")
public class GpuPoolReconciler implements Reconciler<GpuPool> {

    /** The conditions that must all be True for the pool to be Ready. */
    static final List<String> READY_DEPENDS_ON = List.of(PoolConditions.VALID);

    private final Clock clock;
    private final OperatorConfig config;
    private final ReconcileMetrics metrics;

    public GpuPoolReconciler(Clock clock, OperatorConfig config, ReconcileMetrics metrics) {
        this.clock = clock;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public UpdateControl<GpuPool> reconcile(GpuPool pool, Context<GpuPool> context) {
        Instant now = clock.instant();
        Long generation = pool.getMetadata().getGeneration();
        GpuPoolStatus stored = pool.getStatus();
        GpuPoolStatus next = Statuses.copyOf(stored, GpuPoolStatus.class, GpuPoolStatus::new);
        List<Violation> violations = PoolSpecValidator.validate(pool.getSpec());

        next.setObservedGeneration(generation);
        next.setConditions(SpecValidity.record(next.getConditions(), violations, generation, now));
        next.setConditions(Readiness.rollUp(next.getConditions(), READY_DEPENDS_ON, generation, now,
                "The pool is observed."));
        UpdateControl<GpuPool> control = StatusUpdates.patchIfChanged(pool, stored, next,
                GpuPool::setStatus, config.passInterval());
        metrics.passCompleted("GpuPool", control.isPatchStatus());
        return control;
    }
}
