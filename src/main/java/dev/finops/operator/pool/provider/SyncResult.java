package dev.finops.operator.pool.provider;

/** How a provider sync went, as the ProviderSynced condition shows it. {@code changed}: something was written. */
public record SyncResult(boolean synced, SyncReason reason, String message, boolean changed) {

    public static SyncResult ok(String message, boolean changed) {
        return new SyncResult(true, SyncReason.Synced, message, changed);
    }

    public static SyncResult failed(SyncReason reason, String message) {
        return new SyncResult(false, reason, message, false);
    }

    /** Not in sync, though part of the plan was written (e.g. capacity types without a GPU limit). */
    public static SyncResult failed(SyncReason reason, boolean changed, String message) {
        return new SyncResult(false, reason, message, changed);
    }
}
