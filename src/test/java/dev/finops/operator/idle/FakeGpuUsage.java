package dev.finops.operator.idle;

import dev.finops.operator.api.IdleMetric;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** GPU usage as a test sets it: per namespace/pod, or unavailable, or not configured at all. */
public class FakeGpuUsage implements GpuUsageSource {

    private final Map<String, GpuUsage> usage = new HashMap<>();
    private boolean configured = true;
    private String unavailable;
    private String malformed;
    private int queries;

    public FakeGpuUsage idle(String namespace, String pod, long samples) {
        usage.put(namespace + "/" + pod, new GpuUsage(namespace, pod, 1, 0.5, samples));
        return this;
    }

    public FakeGpuUsage busy(String namespace, String pod, long samples) {
        usage.put(namespace + "/" + pod, new GpuUsage(namespace, pod, 95, 80, samples));
        return this;
    }

    public FakeGpuUsage unconfigured() {
        configured = false;
        return this;
    }

    public FakeGpuUsage unavailable(String why) {
        unavailable = why;
        return this;
    }

    /** Prometheus answers, but nothing usable: the reply is refused whole. */
    public FakeGpuUsage malformed(String why) {
        malformed = why;
        return this;
    }

    public int queries() {
        return queries;
    }

    @Override
    public boolean configured() {
        return configured;
    }

    @Override
    public Duration scrapeInterval() {
        return Duration.ofSeconds(5);
    }

    @Override
    public Map<String, GpuUsage> usage(IdleMetric metric, Duration window, Collection<String> nodes)
            throws PrometheusUnavailableException {
        queries++;
        if (malformed != null) {
            throw new PrometheusUnavailableException(IdleDetectionReason.MalformedReply, malformed, null);
        }
        if (unavailable != null) {
            throw new PrometheusUnavailableException(unavailable, null);
        }
        return Map.copyOf(usage);
    }
}
