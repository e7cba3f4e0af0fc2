package dev.finops.operator.pool.plan;

import static dev.finops.operator.api.GpusPerNodeSource.ClusterApiAnnotations;
import static dev.finops.operator.api.GpusPerNodeSource.KarpenterNodePool;
import static dev.finops.operator.api.GpusPerNodeSource.NodeShape;
import static dev.finops.operator.api.GpusPerNodeSource.NodeShapeInstanceType;
import static dev.finops.operator.api.GpusPerNodeSource.Nodes;
import static dev.finops.operator.api.GpusPerNodeSource.PricingInstanceType;
import static dev.finops.operator.api.GpusPerNodeSource.Unknown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Pricing;
import dev.finops.operator.pricing.InstancePrice;
import dev.finops.operator.pricing.PriceCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class GpusPerNodeTest {

    static final PriceCatalog CATALOG = new PriceCatalog("USD", Map.of(
            "p4d.24xlarge", new InstancePrice("p4d.24xlarge", "A100", 8, 32_772_600, -1, -1),
            "g6e.12xlarge", new InstancePrice("g6e.12xlarge", "L40S", 4, 10_492_640, -1, -1),
            "m5.large", new InstancePrice("m5.large", null, 0, 96_000, -1, -1)));
    static final Supplier<Optional<StatedShape>> NOTHING_STATED = Optional::empty;

    static GpuPoolSpec spec(String shapeType, Integer shapeGpus, String pricingType) {
        GpuPoolSpec spec = new GpuPoolSpec();
        if (shapeType != null || shapeGpus != null) {
            dev.finops.operator.api.NodeShape shape = new dev.finops.operator.api.NodeShape();
            shape.setInstanceType(shapeType);
            shape.setGpusPerNode(shapeGpus);
            spec.setNodeShape(shape);
        }
        if (pricingType != null) {
            Pricing pricing = new Pricing();
            pricing.setInstanceType(pricingType);
            pricing.setOnDemandPerHour("30");
            spec.setPricing(pricing);
        }
        return spec;
    }

    static Supplier<Optional<StatedShape>> stated(Integer gpus, String... types) {
        return () -> Optional.of(new StatedShape(gpus, List.of(types), KarpenterNodePool));
    }

    @Test
    void theUsersStatementWinsThenTheNodesThenTheProviderThenTheOldPricingField() {
        assertThat(GpusPerNode.resolve(spec("g6e.12xlarge", 2, "p4d.24xlarge"), 8, stated(4), CATALOG))
                .isEqualTo(new GpusPerNode(2, NodeShape, ""));
        assertThat(GpusPerNode.resolve(spec("g6e.12xlarge", null, "p4d.24xlarge"), 8, stated(1), CATALOG))
                .isEqualTo(new GpusPerNode(4, NodeShapeInstanceType, ""));
        assertThat(GpusPerNode.resolve(spec(null, null, "p4d.24xlarge"), 2, stated(1), CATALOG))
                .isEqualTo(new GpusPerNode(2, Nodes, ""));
        assertThat(GpusPerNode.resolve(spec(null, null, "g6e.12xlarge"), 0, stated(8), CATALOG))
                .isEqualTo(new GpusPerNode(8, KarpenterNodePool, ""));
        assertThat(GpusPerNode.resolve(spec(null, null, "g6e.12xlarge"), 0, NOTHING_STATED, CATALOG))
                .isEqualTo(new GpusPerNode(4, PricingInstanceType, ""));
        assertThat(GpusPerNode.resolve(spec(null, null, null), 0, NOTHING_STATED, CATALOG))
                .isEqualTo(new GpusPerNode(0, Unknown, ""));
    }

    @Test
    void statedInstanceTypesGiveTheLargestFigureTheCatalogKnows() {
        assertThat(GpusPerNode.resolve(spec(null, null, null), 0,
                stated(null, "g6e.12xlarge", "p4d.24xlarge", "not-in-catalog"), CATALOG))
                .isEqualTo(new GpusPerNode(8, KarpenterNodePool, ""));
        assertThat(GpusPerNode.resolve(spec(null, null, null), 0, () -> Optional.of(new StatedShape(null,
                List.of("m5.large"), ClusterApiAnnotations)), CATALOG))
                .as("a type without GPUs states nothing").isEqualTo(new GpusPerNode(0, Unknown, ""));
    }

    @Test
    void anInstanceTypeTheCatalogLacksIsSaidAndTheNextSourceAnswers() {
        GpusPerNode fromNodes = GpusPerNode.resolve(spec("p9.huge", null, null), 8, NOTHING_STATED, CATALOG);
        assertThat(fromNodes.gpus()).isEqualTo(8);
        assertThat(fromNodes.source()).isEqualTo(Nodes);
        assertThat(fromNodes.note()).isEqualTo("spec.nodeShape.instanceType p9.huge has no GPU count in the price "
                + "catalog; add spec.nodeShape.gpusPerNode.");
        assertThat(GpusPerNode.resolve(spec("p9.huge", null, null), 0, NOTHING_STATED, CATALOG).known()).isFalse();
    }

    @Test
    void theProviderIsAskedOnlyWhenNothingBeforeItAnswers() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<Optional<StatedShape>> counting = () -> {
            asked.incrementAndGet();
            return Optional.empty();
        };
        GpusPerNode.resolve(spec(null, 8, null), 0, counting, CATALOG);
        GpusPerNode.resolve(spec(null, null, null), 8, counting, CATALOG);
        assertThat(asked).hasValue(0);
        GpusPerNode.resolve(spec(null, null, null), 0, counting, CATALOG);
        assertThat(asked).hasValue(1);
    }
}
