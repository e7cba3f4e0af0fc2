package dev.finops.operator.pool.provider;

import dev.finops.operator.api.Provider;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The capacity backends there are, and the one a pool's {@code spec.provider} names (none: observe only). */
@ApplicationScoped
public class CapacityProviders {

    private final List<CapacityProvider> providers;

    public CapacityProviders(@All List<CapacityProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    public Optional<CapacityProvider> serving(Provider provider) {
        return providers.stream().filter(candidate -> candidate.serves(provider)).findFirst();
    }
}
