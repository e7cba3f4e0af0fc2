package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How big a simulated GPU cluster the local control plane holds on this machine: creates N kwok GPU nodes
 * and M one-GPU pods (Deployments of many replicas), waits until every pod runs and holds its GPU, then
 * reports creation time, time to all Running, each component's memory and CPU (from /proc) and the
 * DCGM endpoint's response time and size, then deletes what it created.
 *
 * <pre>
 * java -cp ... dev.finops.sim.ScaleProbe --nodes 500 --pods 5000 [--per-deployment 100]
 *     [--gpu-replicas 2] [--port 9400] [--timeout 900] [--keep]
 * </pre>
 *
 * Nodes are p4d.24xlarge with time-slicing ({@code --gpu-replicas}, default 2: 16 pod slots of 8 GPUs) so
 * that ten pods per node fit; pods are pinned to the probe's nodes by node selector.
 */
public final class ScaleProbe {

    static final String SCENARIO = "scale";
    static final String NAMESPACE = "sim-scale";

    private final KubernetesClient client;
    private final GpuClusterSimulator sim;
    private final ControlPlaneProcesses processes = ControlPlaneProcesses.fromEnvironment();
    private final long started = System.nanoTime();

    private ScaleProbe(KubernetesClient client, GpuClusterSimulator sim) {
        this.client = client;
        this.sim = sim;
    }

    public static void main(String[] args) throws Exception {
        int nodes = 100;
        int pods = 1000;
        int perDeployment = 100;
        int gpuReplicas = 2;
        int port = DcgmMetricsEndpoint.portFromEnvironment();
        Duration timeout = Duration.ofMinutes(15);
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--pods" -> pods = Integer.parseInt(args[++i]);
                case "--per-deployment" -> perDeployment = Integer.parseInt(args[++i]);
                case "--gpu-replicas" -> gpuReplicas = Integer.parseInt(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("usage: ScaleProbe --nodes N --pods M [--per-deployment K] [--gpu-replicas R]"
                            + " [--port P] [--timeout SECONDS] [--keep]");
                    System.exit(2);
                }
            }
        }
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withMaxConcurrentRequests(64).withMaxConcurrentRequestsPerHost(64)
                // deleting thousands of pods in one call takes longer than the default 10 s
                .withRequestTimeout(120_000).build();
        try (KubernetesClient client = requireReachable(new KubernetesClientBuilder().withConfig(config).build());
                GpuClusterSimulator sim = GpuClusterSimulator.start(client, port, Clock.systemUTC())) {
            ScaleProbe probe = new ScaleProbe(client, sim);
            boolean ok = probe.run(nodes, pods, perDeployment, gpuReplicas, timeout);
            if (!keep) {
                probe.cleanUp();
            }
            System.exit(ok ? 0 : 1);
        }
    }

    private static KubernetesClient requireReachable(KubernetesClient client) {
        SimulatedCluster.requireReachable(client);
        return client;
    }

    private boolean run(int nodeCount, int podCount, int perDeployment, int gpuReplicas, Duration timeout)
            throws Exception {
        int slots = nodeCount * GpuInstanceType.P4D_24XLARGE.gpus() * gpuReplicas;
        say("scale probe: %d nodes (p4d.24xlarge, time-sliced x%d: %d GPU slots), %d one-GPU pods in Deployments of %d",
                nodeCount, gpuReplicas, slots, podCount, perDeployment);
        if (podCount > slots) {
            say("warning: more pods than GPU slots; %d pods will stay Pending", podCount - slots);
        }
        Map<String, ControlPlaneProcesses.Usage> before = processes.sample();
        sim.cluster().ensureNamespace(NAMESPACE, Map.of(SimulatorLabels.SCENARIO, SCENARIO));

        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> creations = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < nodeCount; i++) {
            SimulatedGpuNode node = SimulatedGpuNode.builder(String.format("scale-p4d-%05d", i))
                    .instanceType(GpuInstanceType.P4D_24XLARGE).spot().nodePool("gpu-scale")
                    .timeSliced(gpuReplicas).scenario(SCENARIO).build();
            creations.add(pool.submit(() -> {
                try {
                    sim.cluster().createNode(node);
                } catch (RuntimeException e) {
                    if (failures.incrementAndGet() <= 3) {
                        System.err.println("node " + node.name() + ": " + e);
                    }
                }
            }));
        }
        for (Future<?> f : creations) {
            f.get();
        }
        double nodesCreated = seconds(t0);
        say("created %d nodes in %.1fs (%.0f/s), %d failures", nodeCount, nodesCreated, nodeCount / nodesCreated,
                failures.get());

        long t1 = System.nanoTime();
        creations.clear();
        int deployments = 0;
        for (int remaining = podCount; remaining > 0; remaining -= perDeployment) {
            GpuWorkload w = GpuWorkload.deployment(NAMESPACE, String.format("scale-%04d", deployments++))
                    .replicas(Math.min(perDeployment, remaining)).gpus(1)
                    .nodeSelector(SimulatorLabels.SCENARIO, SCENARIO).scenario(SCENARIO)
                    .utilisation(UtilisationProfile.noisy(0.5, 0.3)).build();
            creations.add(pool.submit(() -> sim.run(w)));
        }
        for (Future<?> f : creations) {
            f.get();
        }
        pool.shutdown();
        say("created %d Deployments in %.1fs", deployments, seconds(t1));

        long deadline = System.nanoTime() + timeout.toNanos();
        int running = 0;
        double nodesReadyAt = -1;
        Map<String, ControlPlaneProcesses.Usage> peak = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            running = sim.fleet().podCount();
            int ready = nodeCount;
            if (nodesReadyAt < 0) {
                ready = readyNodes();
                if (ready == nodeCount) {
                    nodesReadyAt = seconds(t0);
                }
            }
            int[] replicas = replicaCounts();
            processes.sample().forEach((k, v) -> peak.merge(k, v, (a, b) -> a.rssKiB() >= b.rssKiB() ? a : b));
            say("t+%5.0fs nodes Ready %d/%d, pods created %d, ready %d, holding GPUs %d/%d", seconds(t0), ready,
                    nodeCount, replicas[0], replicas[1], running, podCount);
            if (running >= podCount) {
                break;
            }
            Thread.sleep(5000);
        }
        double allRunning = seconds(t1);
        boolean ok = running >= podCount;
        say(ok ? "all %d pods Running (holding their GPUs) %.1fs after the Deployments were created"
                : "TIMEOUT: %d pods Running after %.1fs", ok ? podCount : running, allRunning);

        // Let Prometheus scrape the full fleet a few times.
        Thread.sleep(12_000);
        measureMetrics();
        prometheus();
        Map<String, ControlPlaneProcesses.Usage> after = processes.sample();
        say("");
        say("%-26s %10s %10s %12s", "process", "RSS MiB", "peak MiB", "CPU s (run)");
        after.forEach((name, u) -> {
            ControlPlaneProcesses.Usage b = before.getOrDefault(name, new ControlPlaneProcesses.Usage(0, 0));
            ControlPlaneProcesses.Usage p = peak.getOrDefault(name, u);
            say("%-26s %10.0f %10.0f %12.1f", name, u.rssKiB() / 1024.0, Math.max(u.rssKiB(), p.rssKiB()) / 1024.0,
                    u.cpuSeconds() - b.cpuSeconds());
        });
        say("summary: nodes=%d pods=%d nodeCreate=%.1fs nodesReady=%.1fs podsRunning=%.1fs ok=%s", nodeCount,
                podCount, nodesCreated, nodesReadyAt, allRunning, ok);
        return ok;
    }

    private int readyNodes() {
        int ready = 0;
        for (Node node : client.nodes().withLabel(SimulatorLabels.SCENARIO, SCENARIO).list().getItems()) {
            List<NodeCondition> conditions = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
            if (conditions != null && conditions.stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                ready++;
            }
        }
        return ready;
    }

    /** Sum over the probe's Deployments of [status.replicas (pods created), status.readyReplicas]. */
    private int[] replicaCounts() {
        int created = 0;
        int ready = 0;
        for (Deployment d : client.apps().deployments().inNamespace(NAMESPACE).list().getItems()) {
            if (d.getStatus() != null) {
                created += d.getStatus().getReplicas() == null ? 0 : d.getStatus().getReplicas();
                ready += d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
            }
        }
        return new int[] {created, ready};
    }

    private void measureMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = sim.metricsEndpoint().metricsUri();
        List<Double> millis = new ArrayList<>();
        String body = "";
        for (int i = 0; i < 6; i++) {
            long t = System.nanoTime();
            body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            millis.add((System.nanoTime() - t) / 1e6);
        }
        long series = body.lines().filter(l -> !l.startsWith("#")).count();
        say("/metrics: %d series, %.1f MiB, response times ms %s", series,
                body.getBytes(StandardCharsets.UTF_8).length / 1048576.0,
                millis.stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).toList());
    }

    private void prometheus() {
        String url = System.getenv("PROMETHEUS_URL");
        if (url == null || url.isBlank()) {
            say("PROMETHEUS_URL not set: skipping the Prometheus view");
            return;
        }
        HttpClient http = HttpClient.newHttpClient();
        for (String query : List.of("up{job=\"dcgm-exporter\"}", "scrape_duration_seconds{job=\"dcgm-exporter\"}",
                "scrape_samples_scraped{job=\"dcgm-exporter\"}", "count(DCGM_FI_DEV_GPU_UTIL)")) {
            try {
                URI uri = URI.create(url + "/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8));
                String body = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                String value = body.replaceAll("(?s).*\"value\":\\[[^,]*,\"([^\"]*)\"\\].*", "$1");
                say("prometheus %s = %s", query, value.length() > 40 ? "?" : value);
            } catch (Exception e) {
                say("prometheus %s: %s", query, e);
            }
        }
    }

    private void cleanUp() throws InterruptedException {
        long t = System.nanoTime();
        client.namespaces().withName(NAMESPACE).delete();
        for (String node : sim.cluster().nodesOf(SCENARIO)) {
            client.nodes().withName(node).withGracePeriod(0).delete();
        }
        // Pods on deleted nodes have no kubelet to confirm their end; remove them as a node's death would.
        while (true) {
            int left = client.pods().inNamespace(NAMESPACE).list().getItems().size();
            if (left == 0 && client.namespaces().withName(NAMESPACE).get() == null) {
                break;
            }
            try {
                client.pods().inNamespace(NAMESPACE).withGracePeriod(0).delete();
            } catch (KubernetesClientException e) {
                say("cleanup: %s (retrying)", e.getMessage());
            }
            if (seconds(t) > 300) {
                say("cleanup: %d pods still there after 300s; giving up", left);
                return;
            }
            Thread.sleep(2000);
        }
        say("cleaned up (namespace %s, %s nodes) in %.1fs", NAMESPACE, SCENARIO, seconds(t));
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, "[%7.1fs] ", seconds(started)) + String.format(Locale.ROOT,
                format, args));
    }
}
