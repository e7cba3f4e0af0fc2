package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.Provider;
import dev.finops.operator.pool.plan.CapacityPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A capacity backend in memory: serves the providers a predicate accepts and remembers every plan synced. */
public class FakeCapacityProvider implements CapacityProvider {

    private final Predicate<Provider> serves;
    private final List<CapacityPlan> synced = new ArrayList<>();

    public FakeCapacityProvider(Predicate<Provider> serves) {
        this.serves = serves;
    }

    @Override
    public boolean serves(Provider provider) {
        return serves.test(provider);
    }

    @Override
    public SyncResult sync(GpuPool pool, CapacityPlan plan) {
        synced.add(plan);
        return SyncResult.ok("synced in memory", false);
    }

    public List<CapacityPlan> synced() {
        return List.copyOf(synced);
    }
}
