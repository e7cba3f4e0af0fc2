package dev.finops.operator.api;

/** Which capacity a Karpenter NodePool of a pool supplies; the operator sets its capacity-type requirement to it. */
public enum NodePoolRole {
    /** Spot capacity only (karpenter.sh/capacity-type In [spot]). */
    Spot,
    /** On-demand capacity, and reserved capacity too unless another NodePool of the pool has the Reserved role. */
    OnDemand,
    /** Reserved capacity only (capacity reservations; karpenter.sh/capacity-type In [reserved]). */
    Reserved,
    /** Every capacity type the plan allows now; only for a pool with a single NodePool. */
    Any
}
