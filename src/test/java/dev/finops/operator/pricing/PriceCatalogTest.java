package dev.finops.operator.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.model.CapacityType;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    @Test
    void theBuiltInCatalogCoversTheCommonGpuInstanceTypesInUsd() {
        PriceCatalog catalog = PriceCatalogSource.loadBuiltIn();

        assertThat(catalog.currency()).contains("USD");
        for (String type : new String[] {"p5.48xlarge", "p4d.24xlarge", "p4de.24xlarge", "g5.xlarge", "g5.48xlarge",
            "g6.xlarge", "g6e.12xlarge", "a3-highgpu-8g", "a2-highgpu-1g", "a2-highgpu-2g", "a2-highgpu-4g",
            "a2-highgpu-8g", "g2-standard-24", "Standard_ND96isr_H100_v5", "Standard_NC24ads_A100_v4"}) {
            InstancePrice price = catalog.find(type).orElseThrow(() -> new AssertionError(type));
            assertThat(price.gpus()).as(type).isPositive();
            assertThat(price.perHour(CapacityType.ON_DEMAND)).as(type).isPresent();
            assertThat(price.perHour(CapacityType.SPOT).getAsLong()).as(type)
                    .isLessThan(price.perHour(CapacityType.ON_DEMAND).getAsLong());
        }
        assertThat(catalog.find("p4d.24xlarge").orElseThrow().onDemandMicros()).isEqualTo(32_772_600L);
        assertThat(catalog.find("g5.xlarge").orElseThrow().onDemandMicros()).isEqualTo(1_006_000L);
    }

    @Test
    void anOverlayReplacesFieldByFieldAndAddsTypes() {
        PriceCatalog base = PriceCatalog.parse("currency,USD\naws,g5.xlarge,NVIDIA A10G,1,1.006,0.3521,0.63378\n",
                "base");
        PriceCatalog overlay = PriceCatalog.parse("aws,g5.xlarge,,,,0.30,\nonprem,dgx-a100,A100,8,20,,15\n", "cm");

        PriceCatalog merged = base.overlaidWith(overlay);

        InstancePrice g5 = merged.find("g5.xlarge").orElseThrow();
        assertThat(g5.onDemandMicros()).isEqualTo(1_006_000);
        assertThat(g5.spotMicros()).isEqualTo(300_000);
        assertThat(g5.reservedMicros()).isEqualTo(633_780);
        assertThat(g5.gpus()).isEqualTo(1);
        InstancePrice dgx = merged.find("dgx-a100").orElseThrow();
        assertThat(dgx.perHour(CapacityType.SPOT)).isEqualTo(OptionalLong.empty());
        assertThat(dgx.perHour(CapacityType.RESERVED)).isEqualTo(OptionalLong.of(15_000_000));
        assertThat(merged.currency()).contains("USD");
    }

    @Test
    void aBadRowNamesTheSourceAndLine() {
        assertThatThrownBy(() -> PriceCatalog.parse("# prices\ncurrency,EUR\naws,x,m,1,abc,,\n", "ConfigMap a/b"))
                .hasMessageStartingWith("ConfigMap a/b line 3: \"abc\" is not an amount");
        assertThatThrownBy(() -> PriceCatalog.parse("aws,x,m,1\n", "cm"))
                .hasMessageContaining("line 1: expected 7 columns");
    }

    @Test
    void aPriceWithAnExponentIsRefusedLikeAnyMalformedRow() {
        assertThatThrownBy(() -> PriceCatalog.parse("currency,USD\naws,p5.48xlarge,H100,8,1e12,,\n", "ConfigMap a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ConfigMap a/b line 2: \"1e12\" is not an amount (digits and at most one decimal point, "
                        + "no sign or exponent); write e.g. 5000 or \"5000.50\"");
        assertThatThrownBy(() -> PriceCatalog.parse("aws,p5.48xlarge,H100,8,98.32,,+55\n", "cm"))
                .hasMessageStartingWith("cm line 1: \"+55\" is not an amount");
    }

    @Test
    void priceAboveTheApisLargestAndGpusThatAreNotAWholeNumberAreRefused() {
        assertThat(PriceCatalog.parse("aws,big,H100,8,999999999.999999,,\n", "cm").find("big").orElseThrow()
                .onDemandMicros()).isEqualTo(PriceCatalog.MAX_MICROS_PER_HOUR);
        assertThatThrownBy(() -> PriceCatalog.parse("aws,big,H100,8,1000000000,,\n", "cm"))
                .hasMessage("cm line 1: \"1000000000\" per node-hour is more than 999999999.999999, the largest price "
                        + "the catalog takes");
        assertThatThrownBy(() -> PriceCatalog.parse("aws,x,H100,-8,1,,\n", "cm"))
                .hasMessage("cm line 1: gpus (column 4) \"-8\" is not a whole number from 0 to 9999");
        assertThatThrownBy(() -> PriceCatalog.parse("aws,x,H100,+8,1,,\n", "cm"))
                .hasMessage("cm line 1: gpus (column 4) \"+8\" is not a whole number from 0 to 9999");
        assertThatThrownBy(() -> PriceCatalog.parse("aws, ,H100,8,1,,\n", "cm"))
                .hasMessage("cm line 1: instanceType (column 2) is empty");
    }

    @Test
    void capacityTypeComesFromTheCloudsLabels() {
        assertThat(CapacityType.ofNodeLabels(Map.of("karpenter.sh/capacity-type", "spot"))).isEqualTo(CapacityType.SPOT);
        assertThat(CapacityType.ofNodeLabels(Map.of("karpenter.sh/capacity-type", "reserved")))
                .isEqualTo(CapacityType.RESERVED);
        assertThat(CapacityType.ofNodeLabels(Map.of("eks.amazonaws.com/capacityType", "SPOT")))
                .isEqualTo(CapacityType.SPOT);
        assertThat(CapacityType.ofNodeLabels(Map.of("cloud.google.com/gke-spot", "true"))).isEqualTo(CapacityType.SPOT);
        assertThat(CapacityType.ofNodeLabels(Map.of("kubernetes.azure.com/scalesetpriority", "spot")))
                .isEqualTo(CapacityType.SPOT);
        assertThat(CapacityType.ofNodeLabels(Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND")))
                .isEqualTo(CapacityType.ON_DEMAND);
        assertThat(CapacityType.ofNodeLabels(Map.of())).isEqualTo(CapacityType.ON_DEMAND);
    }
}
