package dev.finops.operator.pool;

/** Condition types of a GpuPool, and the reasons its own conditions give. */
public final class PoolConditions {

    public static final String READY = "Ready";
    public static final String VALID = "Valid";
    public static final String PROVIDER_SYNCED = "ProviderSynced";
    public static final String PRICES_KNOWN = "PricesKnown";
    public static final String SPOT_FALLBACK_ACTIVE = "SpotFallbackActive";
    public static final String IDLE_DETECTION_AVAILABLE = "IdleDetectionAvailable";
    /** False while the spec uses a deprecated form; the message says what to write instead. Not part of Ready. */
    public static final String SPEC_CURRENT = "SpecCurrent";

    /**
     * The reasons of PricesKnown, SpotFallbackActive and SpecCurrent; ProviderSynced takes its reasons from the providers'
     * vocabulary and IdleDetectionAvailable from the idle detection's.
     */
    public enum Reason {
        WaitingForClusterView, AllPricesKnown, UnknownPrice,
        TooManyInterruptions, SpotHealthy,
        NoDeprecatedFields, NodePoolRolesImpliedByOrder,
        /** ProviderSynced: a provider call threw (the message says what); tried again on the next pass. */
        ProviderCallFailed
    }

    private PoolConditions() {
    }
}
