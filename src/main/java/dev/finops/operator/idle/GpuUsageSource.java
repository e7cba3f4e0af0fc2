package dev.finops.operator.idle;

import dev.finops.operator.api.IdleMetric;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** Where idle detection reads the GPU utilisation of a pool's pods: one batched question per pool and pass. */
public interface GpuUsageSource {

    /** False when no source is configured: idle detection then says so and acts on nothing. */
    boolean configured();

    /** How often the source samples: the idle rules expect window / interval samples per pod. */
    Duration scrapeInterval();

    /**
     * The usage of every pod on {@code nodes} over the window, keyed by namespace/pod; throws when the source
     * cannot answer (then nothing is scaled down).
     */
    Map<String, GpuUsage> usage(IdleMetric metric, Duration window, Collection<String> nodes)
            throws PrometheusUnavailableException;
}
