package dev.finops.operator.api;

/** What idle detection did about an idle workload, as {@code status.idleWorkloads[].action} says it. */
public enum IdleWorkloadAction {
    /** Listed only (the pool's idle action is Report). */
    Report,
    /** Scaled to zero, with a restore record on the workload. */
    ScaledDown,
    /**
     * Running again after a scale-down (a person scaled it up, or asked for it back with finops.dev/restore): left
     * alone until it has been idle for a whole window since.
     */
    WokenByUser,
    /** The workload itself carries finops.dev/exempt. */
    Exempt,
    /** It has no /scale and no spec.suspend, or the operator may not change it (see the pool's Events). */
    CannotScaleDown,
    /** Another owner's restore record is on it (a budget's, another pool's). */
    Skipped,
    /**
     * Scaled down by the pool, which cannot give it back now (no rights any more, a refused change): its record
     * stays, and the restore is tried again on every pass; the entry's message says what is missing.
     */
    CannotRestore;

    /** Whether the pool's record is on the workload: the entry is followed until it comes back. */
    public boolean recorded() {
        return this == ScaledDown || this == WokenByUser || this == CannotRestore;
    }
}
