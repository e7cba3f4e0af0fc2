package dev.finops.operator.api;

/** Which capacity types a pool's nodes are steered toward. Reserved capacity is always used first when it exists. */
public enum CapacityStrategy {
    /** Reserved (committed) capacity first, then on-demand; spot only up to maxSpotPercent. */
    ReservedFirst,
    /** Spot first, up to maxSpotPercent, the rest on-demand. */
    SpotFirst,
    /** No spot at all. */
    OnDemandOnly,
    /** Spot only; needs maxSpotPercent 100. */
    SpotOnly
}
