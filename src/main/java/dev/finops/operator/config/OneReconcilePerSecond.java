package dev.finops.operator.config;

import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimiter;
import java.time.Duration;
import java.util.Optional;

/**
 * JOSDK's rate limiter at one reconcile per primary per second: however many pod events reach a budget or pool,
 * the framework coalesces them and reconciles it at most once a second (so at most one status write a second),
 * and an event after a quiet second is handled at once. A class of its own because Quarkus records the controller
 * configuration at build time and cannot record {@link LinearRateLimiter}'s read-only settings; this one is made
 * with its no-argument constructor at run time.
 */
public class OneReconcilePerSecond implements RateLimiter<RateLimiter.RateLimitState> {

    private final RateLimiter<?> limiter = new LinearRateLimiter(Duration.ofSeconds(1), 1);

    @Override
    public Optional<Duration> isLimited(RateLimitState state) {
        return limiter.isLimited(state);
    }

    @Override
    public RateLimitState initState() {
        return limiter.initState();
    }
}
