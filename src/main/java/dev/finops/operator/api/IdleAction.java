package dev.finops.operator.api;

/** What happens to a workload found idle. */
public enum IdleAction {
    /** List it in status with its wasted cost. */
    Report,
    /** Scale it to zero, reversibly, with a restore record on the workload. */
    ScaleDown
}
