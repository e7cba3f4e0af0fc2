package dev.finops.operator.idle;

/** Why idle detection is or is not available for a pool: the reasons of its IdleDetectionAvailable condition. */
public enum IdleDetectionReason {
    Available, NoNodes, PrometheusNotConfigured, PrometheusUnavailable, NoSeries,
    /** Prometheus answered, but not with a reply the idle query can use (not JSON, missing fields, NaN, too big). */
    MalformedReply,
    /** Idle detection threw (a defect); nothing was scaled down and it is tried again next pass. */
    DetectionFailed
}
