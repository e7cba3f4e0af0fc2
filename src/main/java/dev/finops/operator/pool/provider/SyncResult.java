package dev.finops.operator.pool.provider;

/** How a provider sync went, as the ProviderSynced condition shows it. {@code changed}: something was written. */
public record SyncResult(boolean synced, String reason, String message, boolean changed) {

    public static SyncResult ok(String message, boolean changed) {
        return new SyncResult(true, "Synced", message, changed);
    }

    public static SyncResult failed(String reason, String message) {
        return new SyncResult(false, reason, message, false);
    }
}
