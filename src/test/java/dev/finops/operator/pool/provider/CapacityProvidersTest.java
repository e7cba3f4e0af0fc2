package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pool's spec.provider picks exactly one backend, or none (observe and report only). */
class CapacityProvidersTest {

    private final FakeCapacityProvider karpenter = new FakeCapacityProvider(p -> p != null && p.getKarpenter() != null);
    private final FakeCapacityProvider scale = new FakeCapacityProvider(p -> p != null && p.getScaleTargets() != null);
    private final CapacityProviders providers = new CapacityProviders(List.of(karpenter, scale));

    @Test
    void theBackendTheSpecNamesServesIt() {
        Provider viaKarpenter = new Provider();
        viaKarpenter.setKarpenter(new KarpenterProvider());
        Provider viaScale = new Provider();
        viaScale.setScaleTargets(new ScaleTargets());

        assertThat(providers.serving(viaKarpenter)).containsSame(karpenter);
        assertThat(providers.serving(viaScale)).containsSame(scale);
        assertThat(providers.serving(new Provider())).isEmpty();
        assertThat(providers.serving(null)).isEmpty();
    }

    @Test
    void theRealBackendsServeTheirOwnProviderOnly() {
        Provider viaKarpenter = new Provider();
        viaKarpenter.setKarpenter(new KarpenterProvider());

        assertThat(new KarpenterNodePools(null).serves(viaKarpenter)).isTrue();
        assertThat(new ScaleTargetReplicas(null, new ScaleTargetKinds(List.of())).serves(viaKarpenter)).isFalse();
        assertThat(new KarpenterNodePools(null).serves(null)).isFalse();
    }
}
