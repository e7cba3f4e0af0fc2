package dev.finops.sim;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The simulator as one object for tests and mains: the cluster writer, the GPU fleet kept in step with the
 * API server, the utilisation model and the DCGM endpoint Prometheus scrapes. Typical use:
 *
 * <pre>{@code
 * try (GpuClusterSimulator sim = GpuClusterSimulator.start(client, 0, Clock.systemUTC())) {
 *     sim.cluster().createNode(SimulatedGpuNode.builder("n1").instanceType(GpuInstanceType.P4D_24XLARGE).spot().build());
 *     GpuWorkload w = GpuWorkload.deployment("ns", "idle-notebook").utilisation(UtilisationProfile.idle()).build();
 *     sim.run(w);
 *     // ... sim.metricsEndpoint().metricsUri() serves DCGM series for the notebook's GPU
 * }
 * }</pre>
 */
public final class GpuClusterSimulator implements AutoCloseable {

    private final SimulatedCluster cluster;
    private final GpuFleet fleet;
    private final UtilisationModel utilisation;
    private final ClusterGpuWatcher watcher;
    private final DcgmMetricsEndpoint endpoint;

    private GpuClusterSimulator(SimulatedCluster cluster, GpuFleet fleet, UtilisationModel utilisation,
            ClusterGpuWatcher watcher, DcgmMetricsEndpoint endpoint) {
        this.cluster = cluster;
        this.fleet = fleet;
        this.utilisation = utilisation;
        this.watcher = watcher;
        this.endpoint = endpoint;
    }

    /** Starts watching the cluster and serving metrics on 127.0.0.1:{@code metricsPort} (0 = any free port). */
    public static GpuClusterSimulator start(KubernetesClient client, int metricsPort, Clock clock) {
        GpuFleet fleet = new GpuFleet();
        UtilisationModel utilisation = new UtilisationModel();
        ClusterGpuWatcher watcher = ClusterGpuWatcher.start(client, fleet, Duration.ofMinutes(2));
        try {
            DcgmMetricsEndpoint endpoint = DcgmMetricsEndpoint.start(metricsPort, fleet, utilisation, clock);
            return new GpuClusterSimulator(new SimulatedCluster(client), fleet, utilisation, watcher, endpoint);
        } catch (IOException e) {
            watcher.close();
            throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + metricsPort, e);
        }
    }

    /** Registers the workload's utilisation profile (if it has one) and creates or updates it in the cluster. */
    public void run(GpuWorkload workload) {
        if (workload.utilisation() != null) {
            utilisation.set(workload.key(), workload.utilisation());
        }
        cluster.apply(workload);
    }

    public SimulatedCluster cluster() {
        return cluster;
    }

    public GpuFleet fleet() {
        return fleet;
    }

    public UtilisationModel utilisation() {
        return utilisation;
    }

    public DcgmMetricsEndpoint metricsEndpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        endpoint.close();
        watcher.close();
    }
}
