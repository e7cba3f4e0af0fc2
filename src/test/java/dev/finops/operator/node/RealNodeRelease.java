package dev.finops.operator.node;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.e2e.LocalCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The chart installed on the local cluster's real node: the release's pods, its Lease, its Service as Prometheus
 * sees it, and what the pods serve. The values put the pods on the real node (its label and taint), point them at the
 * API server on the node's address (no kube-proxy serves the {@code kubernetes} Service here) and forbid pulls.
 */
final class RealNodeRelease {

    static final String NODE = "gpu-finops-node";
    static final String LEASE = "gpu-finops-operator-leader";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalCluster cluster;
    private final KubernetesClient client;
    private final String release;
    private final String namespace;

    RealNodeRelease(LocalCluster cluster, String release, String namespace) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.release = release;
        this.namespace = namespace;
    }

    String deployment() {
        return release + "-gpu-finops-operator";
    }

    /** Values that run the chart's own pod spec on the real node, from the imported image only. */
    Path valuesFile(String nodeIp) throws IOException {
        Path file = cluster.stateDir().resolve("real-node-values.yaml");
        Files.writeString(file, """
                replicaCount: 2
                image:
                  pullPolicy: Never
                nodeSelector:
                  gpu-finops.dev/real-node: "true"
                tolerations:
                - {key: gpu-finops.dev/real-node, operator: Exists, effect: NoSchedule}
                extraEnv:
                - {name: KUBERNETES_SERVICE_HOST, value: "%s"}
                - {name: KUBERNETES_SERVICE_PORT, value: "%d"}
                config:
                  passInterval: 5s
                  accrualSettleDelay: 2s
                  ledgerMaxLag: 4s
                """.formatted(nodeIp, cluster.apiServerPort()));
        return file;
    }

    List<Pod> pods() {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/instance", release).list().getItems()
                .stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null).collect(Collectors.toList());
    }

    boolean ready(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    String leader() {
        Lease lease = lease();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    Lease lease() {
        return client.leases().inNamespace(namespace).withName(LEASE).get();
    }

    /**
     * Resolves the chart's Service to its ready endpoints, as the Prometheus Operator does for a ServiceMonitor
     * (port {@code http}), into the file the local Prometheus discovers its real-node targets from.
     */
    void publishServiceTargets() throws IOException {
        List<EndpointSlice> slices = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", deployment()).list().getItems();
        StringBuilder targets = new StringBuilder("[");
        for (EndpointSlice slice : slices) {
            int port = slice.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("Service " + deployment() + " has no port named http")).getPort();
            for (var endpoint : slice.getEndpoints()) {
                if (Boolean.TRUE.equals(endpoint.getConditions().getReady())) {
                    targets.append(targets.length() > 1 ? "," : "").append("""
                            {"targets":["%s:%d"],"labels":{"namespace":"%s","service":"%s","pod":"%s"}}"""
                            .formatted(endpoint.getAddresses().get(0), port, namespace, deployment(),
                                    endpoint.getTargetRef().getName()));
                }
            }
        }
        Path file = cluster.stateDir().resolve("prometheus/targets/" + release + ".json");
        Files.writeString(file, targets.append("]").toString());
    }

    void withdrawServiceTargets() throws IOException {
        Files.deleteIfExists(cluster.stateDir().resolve("prometheus/targets/" + release + ".json"));
    }

    /** The result vector of an instant PromQL query on the local Prometheus. */
    JsonNode prometheusQuery(String promql) throws Exception {
        String url = cluster.prometheusUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        return JSON.readTree(get(url)).path("data").path("result");
    }

    /** What one pod serves on {@code /q/metrics}, read from the host through the node's bridge. */
    String metricsOf(Pod pod) throws Exception {
        return get("http://" + pod.getStatus().getPodIP() + ":8080/q/metrics");
    }

    /** The sum of the samples of {@code metric} whose labels contain {@code labelPart}, in a Prometheus text page. */
    static double sum(String page, String metric, String labelPart) {
        return page.lines().filter(line -> line.startsWith(metric + "{") && line.contains(labelPart))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    void awaitPodsReady(int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> pods().size() == count && pods().stream().allMatch(this::ready));
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
