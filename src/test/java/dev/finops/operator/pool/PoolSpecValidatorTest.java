package dev.finops.operator.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.Samples;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.validation.Violation;
import org.junit.jupiter.api.Test;

class PoolSpecValidatorTest {

    @Test
    void everySampleIsValid() {
        assertThat(Samples.load(GpuPool.class))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(pool -> assertThat(PoolSpecValidator.validate(pool.getSpec())).isEmpty());
    }

    @Test
    void anIdleWindowBelowOneMinuteIsRejected() {
        GpuPoolSpec spec = karpenter();
        spec.getIdle().setWindow("59s");

        assertThat(PoolSpecValidator.validate(spec)).containsExactly(new Violation("spec.idle.window",
                "must be at least 1m, so that idleness rests on enough samples"));
    }

    @Test
    void aBadCooldownNamesItsField() {
        GpuPoolSpec spec = karpenter();
        spec.getCapacity().getSpotFallback().setCooldown("half an hour");

        assertThat(PoolSpecValidator.validate(spec)).extracting(Violation::field)
                .containsExactly("spec.capacity.spotFallback.cooldown");
    }

    @Test
    void aBadScaleTargetApiVersionNamesItsField() {
        GpuPoolSpec spec = Samples.named(GpuPool.class, "inference-gpus").getSpec();
        spec.getProvider().getScaleTargets().getSpot().setApiVersion("cluster.x-k8s.io/v1beta1/extra");

        assertThat(PoolSpecValidator.validate(spec)).containsExactly(new Violation(
                "spec.provider.scaleTargets.spot.apiVersion",
                "\"cluster.x-k8s.io/v1beta1/extra\" is not an API version; write e.g. cluster.x-k8s.io/v1beta1"));
    }

    @Test
    void aPriceWithTooManyDecimalsIsRejected() {
        GpuPoolSpec spec = Samples.named(GpuPool.class, "inference-gpus").getSpec();
        spec.getPricing().setSpotPerHour("4.1234567");

        assertThat(PoolSpecValidator.validate(spec)).extracting(Violation::field)
                .containsExactly("spec.pricing.spotPerHour");
    }

    private static GpuPoolSpec karpenter() {
        return Samples.named(GpuPool.class, "training-gpus").getSpec();
    }
}
