package dev.finops.operator.pool.provider;

import static dev.finops.operator.model.CapacityType.ON_DEMAND;
import static dev.finops.operator.model.CapacityType.RESERVED;
import static dev.finops.operator.model.CapacityType.SPOT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.provider.KarpenterNodePools.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class KarpenterNodePoolsTest {

    static final CapacityPlan SPOT_FIRST = new CapacityPlan(3, 2, List.of(RESERVED, SPOT, ON_DEMAND), 12, 16, 8);
    static final CapacityPlan FALLBACK = new CapacityPlan(0, 5, List.of(RESERVED, ON_DEMAND), 0, 16, 8);
    static final CapacityPlan SPOT_ONLY = new CapacityPlan(5, 0, List.of(SPOT), 16, 16, 8);
    static final CapacityPlan UNKNOWN_GPUS = new CapacityPlan(1, 0, List.of(SPOT, ON_DEMAND), 4, 4, 0);

    @Test
    void aSingleNodePoolTakesEveryAllowedTypeAndTheWholeLimitButNoWeight() {
        assertThat(KarpenterNodePools.targetFor(0, 1, SPOT_FIRST))
                .isEqualTo(new Target(List.of("reserved", "spot", "on-demand"), 128L, null));
        assertThat(KarpenterNodePools.targetFor(0, 1, UNKNOWN_GPUS))
                .isEqualTo(new Target(List.of("spot", "on-demand"), null, null));
    }

    @Test
    void theFirstOfSeveralIsTheSpotNodePoolAndIsTriedFirst() {
        assertThat(KarpenterNodePools.targetFor(0, 2, SPOT_FIRST)).isEqualTo(new Target(List.of("spot"), 96L, 100));
        assertThat(KarpenterNodePools.targetFor(1, 2, SPOT_FIRST))
                .isEqualTo(new Target(List.of("reserved", "on-demand"), 128L, 10));
        assertThat(KarpenterNodePools.targetFor(2, 3, SPOT_FIRST))
                .isEqualTo(new Target(List.of("reserved", "on-demand"), 128L, 10));
    }

    @Test
    void duringTheFallbackTheSpotNodePoolLaunchesNothingAndOnlyOnDemand() {
        assertThat(KarpenterNodePools.targetFor(0, 2, FALLBACK))
                .isEqualTo(new Target(List.of("reserved", "on-demand"), 0L, 100));
        assertThat(KarpenterNodePools.targetFor(1, 2, FALLBACK))
                .isEqualTo(new Target(List.of("reserved", "on-demand"), 128L, 10));
    }

    @Test
    void spotOnlyLeavesTheOnDemandNodePoolEmpty() {
        assertThat(KarpenterNodePools.targetFor(1, 2, SPOT_ONLY)).isEqualTo(new Target(List.of("on-demand"), 0L, 10));
    }

    @Test
    void limitsAreReadAsQuantities() {
        assertThat(KarpenterNodePools.parseLimit(64)).isEqualTo(64L);
        assertThat(KarpenterNodePools.parseLimit("1k")).isEqualTo(1000L);
        assertThat(KarpenterNodePools.parseLimit(null)).isNull();
        assertThat(KarpenterNodePools.parseLimit("0.5")).isNull();
    }
}
