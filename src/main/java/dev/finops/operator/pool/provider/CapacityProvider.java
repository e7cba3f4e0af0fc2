package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.Provider;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.StatedShape;
import java.util.Optional;

/**
 * Makes a pool's capacity plan real on one node-pool API. Writes only when the object differs from the plan.
 * Each backend is a bean; {@link CapacityProviders} picks the one a pool's {@code spec.provider} names.
 */
public interface CapacityProvider {

    /** The field manager of every write: we own exactly the fields we apply. */
    String FIELD_MANAGER = "gpu-finops-operator";

    /** Whether this backend is the one {@code provider} asks for. */
    boolean serves(Provider provider);

    /**
     * What the provider's own objects say about the nodes it creates (GPU count, instance types), for a pool with
     * no node yet; empty when they say nothing or cannot be read ({@link #sync} then reports why).
     */
    default Optional<StatedShape> statedShape(GpuPool pool) {
        return Optional.empty();
    }

    SyncResult sync(GpuPool pool, CapacityPlan plan);
}
