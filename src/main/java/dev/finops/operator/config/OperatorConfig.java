package dev.finops.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The operator's own settings, under {@code finops.*} in application.properties or FINOPS_* env vars. */
@ConfigMapping(prefix = "finops")
public interface OperatorConfig {

    /** How often every budget and pool is recomputed, even when nothing in the cluster changed. */
    @WithDefault("30s")
    Duration passInterval();

    /**
     * How long a budget's ledger may go unwritten while only its exact micro-units moved (the displayed cents
     * did not): bounds the interval a pass recomputes and how long deleted pods must be remembered.
     */
    @WithDefault("5m")
    Duration ledgerMaxLag();

    /**
     * Cost is counted up to now minus this delay: a finished pod's end reaches the API server a moment after it
     * happened, and counting past it would charge time the pod did not run.
     */
    @WithDefault("15s")
    Duration accrualSettleDelay();

    /** Namespace of the leader-election Lease; the operator's own namespace when empty. */
    Optional<String> leaseNamespace();

    Pricing pricing();

    interface Pricing {

        /** Name of the ConfigMap whose {@code prices.csv} overrides the built-in catalog; none when empty. */
        Optional<String> configMap();

        /** Namespace of that ConfigMap; the operator's own namespace when empty. */
        Optional<String> namespace();
    }
}
