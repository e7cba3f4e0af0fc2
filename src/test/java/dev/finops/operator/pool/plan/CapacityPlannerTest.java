package dev.finops.operator.pool.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.model.CapacityType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityPlannerTest {

    @ParameterizedTest(name = "{0}: {1} GPUs on {2}-GPU nodes, reserved {3}, min {4}, max {5}, spot {6}%, "
            + "fallback {7} -> spot {8}, on-demand {9}, types {10}, spot ceiling {11}")
    @CsvSource(delimiter = '|', textBlock = """
            # strategy  |gpus|gpn|res|min|max|spot%|fallback|spot|od|types                     |maxSpot
            SpotFirst    | 0  | 8 | 0 | 2 | 10| 100 | false  | 2  | 0 | spot,on-demand            | 10
            SpotFirst    | 0  | 8 | 0 | 0 | 10| 100 | false  | 0  | 0 | spot,on-demand            | 10
            SpotFirst    | 9  | 8 | 0 | 0 | 10| 100 | false  | 2  | 0 | spot,on-demand            | 10
            SpotFirst    | 16 | 8 | 0 | 0 | 10| 100 | false  | 2  | 0 | spot,on-demand            | 10
            SpotFirst    | 17 | 8 | 0 | 0 | 10| 100 | false  | 3  | 0 | spot,on-demand            | 10
            SpotFirst    | 500| 8 | 0 | 0 | 10| 100 | false  | 10 | 0 | spot,on-demand            | 10
            SpotFirst    | 40 | 8 | 0 | 0 | 16| 75  | false  | 3  | 2 | spot,on-demand            | 12
            SpotFirst    | 40 | 8 | 2 | 0 | 16| 75  | false  | 3  | 2 | reserved,spot,on-demand   | 12
            SpotFirst    | 40 | 8 | 2 | 0 | 16| 75  | true   | 0  | 5 | reserved,on-demand        | 0
            SpotFirst    | 8  | 8 | 0 | 0 | 16| 0   | false  | 0  | 1 | on-demand                 | 0
            ReservedFirst| 40 | 8 | 2 | 0 | 16| 75  | false  | 3  | 2 | reserved,spot,on-demand   | 12
            ReservedFirst| 40 | 8 | 4 | 0 | 16| 75  | false  | 1  | 4 | reserved,spot,on-demand   | 12
            ReservedFirst| 16 | 8 | 4 | 0 | 16| 75  | false  | 0  | 2 | reserved,spot,on-demand   | 12
            ReservedFirst| 80 | 8 | 0 | 0 | 10| 50  | false  | 5  | 5 | reserved,spot,on-demand   | 5
            ReservedFirst| 80 | 8 | 0 | 0 | 10| 50  | true   | 0  | 10| reserved,on-demand        | 0
            OnDemandOnly | 20 | 4 | 0 | 1 | 10| 100 | false  | 0  | 5 | on-demand                 | 0
            OnDemandOnly | 0  | 4 | 1 | 1 | 10| 100 | false  | 0  | 1 | reserved,on-demand        | 0
            SpotOnly     | 20 | 4 | 0 | 1 | 10| 100 | false  | 5  | 0 | spot                      | 10
            SpotOnly     | 0  | 4 | 0 | 3 | 10| 100 | false  | 3  | 0 | spot                      | 10
            SpotOnly     | 20 | 4 | 0 | 1 | 10| 100 | true   | 0  | 5 | on-demand                 | 0
            SpotFirst    | 3  | 1 | 0 | 0 | 10| 50  | false  | 1  | 2 | spot,on-demand            | 5
            SpotFirst    | 30 | 0 | 0 | 1 | 10| 100 | false  | 1  | 0 | spot,on-demand            | 10
            """)
    void plansNodesPerCapacityType(CapacityStrategy strategy, long gpus, int gpusPerNode, int reserved, int min,
            int max, int spotPercent, boolean fallback, int spot, int onDemand, String types, int maxSpot) {
        Capacity capacity = new Capacity();
        capacity.setStrategy(strategy);
        capacity.setReservedNodes(reserved);
        capacity.setMinNodes(min);
        capacity.setMaxNodes(max);
        capacity.setMaxSpotPercent(spotPercent);

        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Demand(gpus, gpusPerNode), capacity, fallback);

        assertThat(plan.spot()).as("spot").isEqualTo(spot);
        assertThat(plan.onDemand()).as("on-demand").isEqualTo(onDemand);
        assertThat(plan.capacityTypes()).extracting(CapacityType::label).containsExactly(types.split(","));
        assertThat(plan.maxSpotNodes()).as("spot ceiling").isEqualTo(maxSpot);
        assertThat(plan.maxNodes()).isEqualTo(max);
    }

    /** The hold-out: a pool at zero nodes, five pending 8-GPU pods, a known node shape. */
    @ParameterizedTest(name = "{0}: 5 x 8 GPUs from zero nodes -> spot {1}, on-demand {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # strategy   | spot | od
            SpotFirst     | 3    | 2
            ReservedFirst | 2    | 3
            OnDemandOnly  | 0    | 5
            """)
    void fromZeroNodesTheKnownShapeGivesTheNodesThePendingPodsNeed(CapacityStrategy strategy, int spot,
            int onDemand) {
        Capacity capacity = new Capacity();
        capacity.setStrategy(strategy);
        capacity.setReservedNodes(3);
        capacity.setMaxNodes(10);
        capacity.setMaxSpotPercent(60);

        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Demand(40, 8), capacity, false);

        assertThat(plan.spot()).as("spot").isEqualTo(spot);
        assertThat(plan.onDemand()).as("on-demand").isEqualTo(onDemand);
        assertThat(plan.gpusPerNode()).isEqualTo(8);
    }

    @org.junit.jupiter.api.Test
    void fromZeroNodesAnUnknownShapeBuysNothingBeyondMinNodes() {
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.SpotFirst);
        capacity.setMaxNodes(10);

        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Demand(40, 0), capacity, false);

        assertThat(plan.spot() + plan.onDemand()).isZero();
        assertThat(plan.gpusPerNodeKnown()).isFalse();
    }
}
