package dev.finops.operator.pool.provider;

/** Why a provider is or is not in sync: the reasons of a pool's ProviderSynced condition. */
public enum SyncReason {
    Synced,
    NodePoolApiNotServed, NodePoolNotFound, NodePoolUpdateFailed,
    ScaleTargetApiNotServed, ScaleTargetNotFound, ScaleFailed
}
