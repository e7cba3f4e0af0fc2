package dev.finops.operator.pool;

/** Condition types of a GpuPool. */
public final class PoolConditions {

    public static final String READY = "Ready";
    public static final String VALID = "Valid";
    public static final String PROVIDER_SYNCED = "ProviderSynced";
    public static final String PRICES_KNOWN = "PricesKnown";
    public static final String SPOT_FALLBACK_ACTIVE = "SpotFallbackActive";
    public static final String IDLE_DETECTION_AVAILABLE = "IdleDetectionAvailable";

    private PoolConditions() {
    }
}
