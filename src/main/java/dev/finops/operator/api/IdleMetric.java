package dev.finops.operator.api;

/** The DCGM exporter metric that tells whether a GPU works. */
public enum IdleMetric {
    /** Fraction of time the graphics engine is active, 0..1 (needs DCGM profiling metrics). */
    DCGM_FI_PROF_GR_ENGINE_ACTIVE,
    /** GPU utilisation in percent, 0..100. */
    DCGM_FI_DEV_GPU_UTIL
}
