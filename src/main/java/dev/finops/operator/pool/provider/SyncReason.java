package dev.finops.operator.pool.provider;

/** Why a provider is or is not in sync: the reasons of a pool's ProviderSynced condition. */
public enum SyncReason {
    Synced,
    /** The plan has no GPUs per node (no node yet, nothing states the shape): nothing is scaled up. */
    NodeShapeUnknown,
    NodePoolApiNotServed, NodePoolNotFound, NodePoolUpdateFailed,
    /** A scale target of a kind neither Cluster API's nor allowed by the operator setting: nothing is scaled. */
    ScaleTargetKindNotAllowed,
    /** A scale target without a namespace (written before the field was required): nothing is scaled. */
    ScaleTargetNamespaceMissing,
    ScaleTargetApiNotServed, ScaleTargetNotFound, ScaleFailed
}
