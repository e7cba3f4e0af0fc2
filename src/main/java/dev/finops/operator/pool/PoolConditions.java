package dev.finops.operator.pool;

/** Condition types of a GpuPool, and the reasons its own conditions give. */
public final class PoolConditions {

    public static final String READY = "Ready";
    public static final String VALID = "Valid";
    public static final String PROVIDER_SYNCED = "ProviderSynced";
    public static final String PRICES_KNOWN = "PricesKnown";
    public static final String SPOT_FALLBACK_ACTIVE = "SpotFallbackActive";
    public static final String IDLE_DETECTION_AVAILABLE = "IdleDetectionAvailable";

    /**
     * The reasons of PricesKnown and SpotFallbackActive; ProviderSynced takes its reasons from the providers'
     * vocabulary and IdleDetectionAvailable from the idle detection's.
     */
    public enum Reason {
        WaitingForClusterView, AllPricesKnown, UnknownPrice,
        TooManyInterruptions, SpotHealthy,
        /** ProviderSynced: a provider call threw (the message says what); tried again on the next pass. */
        ProviderCallFailed
    }

    private PoolConditions() {
    }
}
