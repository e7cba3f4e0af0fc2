package dev.finops.operator.api;

/** What the operator does to the selected workloads once the limit is spent. */
public enum EnforcementAction {
    /** Report only. */
    None,
    /** Suspend Jobs and CronJobs, scale Deployments, StatefulSets and other /scale workloads to zero. */
    Suspend
}
