package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.pool.plan.CapacityPlan;

/** Makes a pool's capacity plan real on one node-pool API. Writes only when the object differs from the plan. */
public interface CapacityProvider {

    /** The field manager of every write: we own exactly the fields we apply. */
    String FIELD_MANAGER = "gpu-finops-operator";

    SyncResult sync(GpuPool pool, CapacityPlan plan);
}
