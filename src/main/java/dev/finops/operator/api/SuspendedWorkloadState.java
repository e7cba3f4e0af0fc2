package dev.finops.operator.api;

/** Where a workload listed in a budget's {@code status.suspended} stands. */
public enum SuspendedWorkloadState {
    /** Stopped by this budget; its restore record is on the workload. */
    Suspended,
    /** Would be stopped; the budget is in dry run and touched nothing. */
    DryRun,
    /** A person started it again after the budget stopped it: left alone until the budget resets or is restored. */
    ResumedByUser,
    /** Another owner's restore record is on it (a pool's idle scale-down, another budget): left to that owner. */
    HeldBy,
    /** It cannot be stopped (no /scale and no spec.suspend, a bare Pod, no rights): the message says why. */
    CannotStop,
    /**
     * This budget stopped it and cannot give it back now (no rights any more, a refused change): tried again on
     * every pass; the message says what is missing.
     */
    CannotRestore,
    /** It carries finops.dev/exempt (anyone who may update the workload can set it): never stopped. */
    Exempt;

    /**
     * The state of an entry written before {@code state} existed, from its free-text {@code reason}: empty meant
     * suspended, otherwise the reason began with the state's name, or was why it could not be stopped.
     */
    public static SuspendedWorkloadState fromLegacyReason(String reason) {
        if (reason == null || reason.isEmpty()) {
            return Suspended;
        }
        for (SuspendedWorkloadState state : values()) {
            if (reason.startsWith(state.name() + ":")) {
                return state;
            }
        }
        return CannotStop;
    }
}
