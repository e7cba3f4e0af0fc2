package dev.finops.operator.idle;

/** Why idle detection is or is not available for a pool: the reasons of its IdleDetectionAvailable condition. */
public enum IdleDetectionReason {
    Available, NoNodes, PrometheusNotConfigured, PrometheusUnavailable, NoSeries
}
