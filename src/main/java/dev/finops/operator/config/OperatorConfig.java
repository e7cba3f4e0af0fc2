package dev.finops.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The operator's own settings, under {@code finops.*} in application.properties or FINOPS_* env vars. */
@ConfigMapping(prefix = "finops")
public interface OperatorConfig {

    /** How often every budget and pool is recomputed, even when nothing in the cluster changed. */
    @WithDefault("30s")
    Duration passInterval();
}
