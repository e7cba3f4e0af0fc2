package dev.finops.sim;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The utilisation profile of every workload, keyed by namespace and workload name; a scenario changes a
 * profile while the metrics endpoint reads them (hence concurrent). Workloads nobody described get the
 * fallback profile (by default moderately busy), so a pod applied by hand still shows plausible numbers.
 */
public final class UtilisationModel {

    private final Map<WorkloadKey, UtilisationProfile> profiles = new ConcurrentHashMap<>();
    private volatile UtilisationProfile fallback;

    public UtilisationModel() {
        this(UtilisationProfile.noisy(0.6, 0.1));
    }

    public UtilisationModel(UtilisationProfile fallback) {
        this.fallback = Objects.requireNonNull(fallback);
    }

    public void set(WorkloadKey workload, UtilisationProfile profile) {
        profiles.put(workload, Objects.requireNonNull(profile));
    }

    public void set(String namespace, String workload, UtilisationProfile profile) {
        set(new WorkloadKey(namespace, workload), profile);
    }

    public void setFallback(UtilisationProfile fallback) {
        this.fallback = Objects.requireNonNull(fallback);
    }

    public UtilisationProfile profileOf(WorkloadKey workload) {
        return profiles.getOrDefault(workload, fallback);
    }

    /** The utilisation of the GPU slot a container holds on GPU {@code gpuIndex}, at {@code now}. */
    public double utilisation(GpuHolder holder, int gpuIndex, Instant now) {
        return UtilisationProfile.clamp(profileOf(holder.workload()).at(now, holder.seed(gpuIndex)));
    }
}
