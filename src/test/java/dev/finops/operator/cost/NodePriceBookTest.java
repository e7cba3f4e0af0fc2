package dev.finops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.pricing.InstancePrice;
import dev.finops.operator.pricing.PriceCatalog;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePriceBookTest {

    private static final PriceCatalog CATALOG = PriceCatalog.parse(
            "currency,USD\naws,p4d.24xlarge,A100,8,32.7726,14.74767,20.646738\n", "test");

    private static GpuNode node(String name, String type, CapacityType capacity, String pool) {
        return new GpuNode(name, Map.of("pool", pool), type, capacity,
                NodeGpus.of(Map.of("nvidia.com/gpu", 8L), Map.of()));
    }

    private static PoolPricing pool(String name, int reserved, InstancePrice overrides, String type) {
        return new PoolPricing(name, LabelSelectorMatcher.compile("s",
                new LabelSelectorBuilder().addToMatchLabels("pool", name).build()), type, overrides, reserved);
    }

    @Test
    void catalogPricesByCapacityType() {
        NodePriceBook book = NodePriceBook.build(List.of(node("a", "p4d.24xlarge", CapacityType.SPOT, "x"),
                node("b", "p4d.24xlarge", CapacityType.ON_DEMAND, "x")), List.of(), CATALOG);

        assertThat(book.rateOf("a").orElseThrow().microsPerHour()).isEqualTo(14_747_670);
        assertThat(book.rateOf("b").orElseThrow().microsPerHour()).isEqualTo(32_772_600);
        assertThat(book.unknownInstanceTypes()).isEmpty();
    }

    @Test
    void reservedNodesAreBlendedOverThePoolsOnDemandNodes() {
        List<GpuNode> nodes = List.of(node("a", "p4d.24xlarge", CapacityType.ON_DEMAND, "train"),
                node("b", "p4d.24xlarge", CapacityType.ON_DEMAND, "train"),
                node("c", "p4d.24xlarge", CapacityType.ON_DEMAND, "train"),
                node("d", "p4d.24xlarge", CapacityType.SPOT, "train"));

        NodePriceBook book = NodePriceBook.build(nodes, List.of(pool("train", 2, null, null)), CATALOG);

        // (2 x 20.646738 + 1 x 32.7726) / 3
        assertThat(book.rateOf("a").orElseThrow().microsPerHour()).isEqualTo(24_688_692);
        assertThat(book.rateOf("a").orElseThrow().reservedBlend()).isTrue();
        assertThat(book.rateOf("d").orElseThrow().microsPerHour()).isEqualTo(14_747_670);
    }

    @Test
    void aPoolsPricingOverridesTheCatalogForItsNodesOnly() {
        InstancePrice negotiated = new InstancePrice("p4d.24xlarge", null, 0, 25_000_000, -1, -1);
        List<GpuNode> nodes = List.of(node("in", "p4d.24xlarge", CapacityType.ON_DEMAND, "train"),
                node("out", "p4d.24xlarge", CapacityType.ON_DEMAND, "other"));

        NodePriceBook book = NodePriceBook.build(nodes, List.of(pool("train", 0, negotiated, "p4d.24xlarge")), CATALOG);

        assertThat(book.rateOf("in").orElseThrow().microsPerHour()).isEqualTo(25_000_000);
        assertThat(book.rateOf("out").orElseThrow().microsPerHour()).isEqualTo(32_772_600);
    }

    @Test
    void anUnknownInstanceTypeIsReportedNotPricedAtZero() {
        NodePriceBook book = NodePriceBook.build(List.of(node("x", "dgx-h200", CapacityType.ON_DEMAND, "lab")),
                List.of(), CATALOG);

        assertThat(book.rateOf("x").orElseThrow().known()).isFalse();
        assertThat(book.unknownInstanceTypes()).containsExactly("dgx-h200 on-demand");
    }

    @Test
    void theReservedBlendIsExactWhereNodeCountTimesPriceWouldNotFitInALong() {
        long price = 999_999_999_999_999L; // the largest price the catalog takes
        assertThat(NodePriceBook.blend(100_000, price, 0, price)).isEqualTo(price);
        assertThat(NodePriceBook.blend(1_000_000, price - 1, 1_000_000, price)).isEqualTo(price - 1);
        assertThat(NodePriceBook.blend(2, 20_646_738, 1, 32_772_600)).isEqualTo(24_688_692);
    }
}
