package dev.finops.operator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.e2e.LocalCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart as a platform team installs it, on a real node of the local cluster (containerd, runc and a kubelet,
 * {@code hack/local-cluster.sh up --real-node}): the image {@code hack/image.sh} built, imported and never pulled;
 * two replicas Ready through their own probes under the chart's restricted security context and memory limit; a
 * failover when the leader's pod is deleted; a rollout restart; a {@code helm upgrade} that keeps a budget's ledger;
 * Prometheus scraping the pods behind the chart's Service. What it measures is printed as {@code [real-node]} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartOnRealNodeE2EIT {

    private static final String NAMESPACE = "finops-real-node";
    private static final String RELEASE = "realnode";
    private static final String IMAGE = "ghcr.io/finops-dev/gpu-finops-operator:0.1.0";
    /** The chart's terminationGracePeriodSeconds: a pod gone sooner exited on SIGTERM by itself, never SIGKILLed. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final long MEMORY_LIMIT = 512L * 1024 * 1024;

    private static LocalCluster cluster;
    private static KubernetesClient client;
    private static NodeCommands commands;
    private static RealNodeRelease chart;
    private static final Map<String, String> measured = new HashMap<>();

    @BeforeAll
    static void buildTheImageAndInstallTheChartOnTheRealNode() throws Exception {
        cluster = LocalCluster.get();
        client = cluster.client();
        long start = System.nanoTime();
        cluster.startRealNode();
        measure("real node added", start);
        commands = new NodeCommands(cluster.kubeconfig());
        chart = new RealNodeRelease(cluster, RELEASE, NAMESPACE);

        start = System.nanoTime();
        Path archive = Path.of("target/image/gpu-finops-operator.oci.tar").toAbsolutePath();
        String built = NodeCommands.run(List.of("hack/image.sh", "--no-package", "--out", archive.toString()));
        measure("image built (hack/image.sh --no-package)", start);
        measured.put("image", built.lines().filter(l -> l.startsWith("digest=") || l.startsWith("archive="))
                .collect(Collectors.joining(" ")));
        cluster.loadImage(archive);

        String nodeIp = client.nodes().withName(RealNodeRelease.NODE).get().getStatus().getAddresses().stream()
                .filter(a -> a.getType().equals("InternalIP")).findFirst().orElseThrow().getAddress();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).serverSideApply();
        start = System.nanoTime();
        commands.helm("install", RELEASE, "helm/gpu-finops-operator", "--namespace", NAMESPACE, "--wait", "--timeout", "3m",
                "-f", chart.valuesFile(nodeIp).toString());
        measure("helm install --wait", start);
    }

    @AfterAll
    static void uninstall() throws Exception {
        measured.forEach((what, value) -> System.out.println("[real-node] " + what + ": " + value));
        if (chart != null) {
            chart.withdrawServiceTargets();
            commands.helm("uninstall", RELEASE, "--namespace", NAMESPACE, "--wait", "--timeout", "2m");
        }
    }

    @Test
    @Order(1)
    void bothReplicasAreReadyThroughTheirProbesAsANonRootUserWithNoCapabilitiesUnderTheMemoryLimit() {
        List<Pod> pods = chart.pods();
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(RealNodeRelease.NODE);
            assertThat(chart.ready(pod)).isTrue();
            var status = pod.getStatus().getContainerStatuses().get(0);
            assertThat(status.getImage()).isEqualTo(IMAGE);
            assertThat(status.getRestartCount()).isZero();
            var security = pod.getSpec().getContainers().get(0).getSecurityContext();
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();

            ContainerProcess process = ContainerProcess.of(cluster.stateDir(), status.getContainerID());
            assertThat(process.uids()).isEqualTo("65532 65532 65532 65532");
            assertThat(process.effectiveCapabilities()).isEqualTo("0000000000000000");
            assertThat(process.memoryLimitBytes()).isEqualTo(MEMORY_LIMIT);
            Instant started = Instant.parse(status.getState().getRunning().getStartedAt());
            Instant ready = Instant.parse(pod.getStatus().getConditions().stream()
                    .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getLastTransitionTime());
            measured.merge("container start to Ready", Duration.between(started, ready).toSeconds() + " s",
                    (a, b) -> a + ", " + b);
        });
    }

    @Test
    @Order(2)
    void prometheusScrapesBothPodsBehindTheChartsService() throws Exception {
        chart.publishServiceTargets();
        Set<String> pods = chart.pods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        String service = "service=\"" + chart.deployment() + "\"";
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(podsIn(chart.prometheusQuery("up{job=\"real-node-pods\"," + service + "} == 1"))).isEqualTo(pods);
            assertThat(podsIn(chart.prometheusQuery("jvm_memory_used_bytes{area=\"heap\"," + service + "}")))
                    .isEqualTo(pods);
        });
    }

    @Test
    @Order(3)
    void helmUpgradeKeepsTheBudgetAndCarriesItsLedgerOn() throws Exception {
        commands.kubectl("apply", "-f", "hack/sample-gpu-node.yaml", "-f", "hack/sample-gpu-workloads.yaml");
        Path budget = cluster.stateDir().resolve("real-node-budget.yaml");
        Files.writeString(budget, """
                apiVersion: finops.dev/v1alpha1
                kind: ExperimentBudget
                metadata: {name: inference, namespace: gpu-finops-smoke}
                spec:
                  team: search
                  selector: {matchLabels: {app: llm-inference}}
                  limit: "100000"
                  period: Total
                """);
        commands.kubectl("apply", "-f", budget.toString());
        var budgets = client.resources(ExperimentBudget.class).inNamespace("gpu-finops-smoke").withName("inference");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> spentMicros(budgets.get()) > 0);
        ExperimentBudget before = budgets.get();

        long start = System.nanoTime();
        commands.helm("upgrade", RELEASE, "helm/gpu-finops-operator", "--namespace", NAMESPACE, "--reuse-values",
                "--set", "config.passInterval=4s", "--wait", "--timeout", "3m");
        measure("helm upgrade --wait (pods replaced)", start);

        ExperimentBudget after = budgets.get();
        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(spentMicros(after)).isGreaterThanOrEqualTo(spentMicros(before));
        // The upgraded operator goes on from the stored ledger: it only ever grows past what the old one wrote.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> spentMicros(budgets.get()) > spentMicros(before));
        commands.kubectl("delete", "-f", budget.toString(), "--wait=false");
    }

    @Test
    @Order(4)
    void theStandbyTakesTheLeaseBeforeItCouldHaveExpiredWhenTheLeadersPodIsDeleted() {
        chart.awaitPodsReady(2, Duration.ofMinutes(3));
        await().atMost(Duration.ofMinutes(1)).until(() -> chart.pods().stream()
                .anyMatch(p -> p.getMetadata().getName().equals(chart.leader())));
        Lease lease = chart.lease();
        String leader = lease.getSpec().getHolderIdentity();
        String standby = chart.pods().stream().map(p -> p.getMetadata().getName()).filter(n -> !n.equals(leader))
                .findFirst().orElseThrow();
        Instant expiry = lease.getSpec().getRenewTime().toInstant()
                .plusSeconds(lease.getSpec().getLeaseDurationSeconds());

        long deleted = System.nanoTime();
        client.pods().inNamespace(NAMESPACE).withName(leader).delete();
        await().atMost(GRACE).pollInterval(Duration.ofMillis(100)).until(() -> standby.equals(chart.leader()));
        Instant tookOver = Instant.now();
        measure("failover (leader's pod deleted -> standby holds the Lease)", deleted);
        await().atMost(GRACE).pollInterval(Duration.ofMillis(100))
                .until(() -> client.pods().inNamespace(NAMESPACE).withName(leader).get() == null);
        measure("deleted leader's pod gone", deleted);

        assertThat(tookOver).isBefore(expiry);
        assertThat(chart.lease().getSpec().getAcquireTime().toInstant()).isBefore(expiry);
    }

    @Test
    @Order(5)
    void rolloutRestartReplacesEveryPodEachGoneWithinItsGracePeriod() {
        chart.awaitPodsReady(2, Duration.ofMinutes(3));
        List<String> old = chart.pods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toList());
        long start = System.nanoTime();
        commands.kubectl("-n", NAMESPACE, "rollout", "restart", "deployment/" + chart.deployment());
        commands.kubectl("-n", NAMESPACE, "rollout", "status", "deployment/" + chart.deployment(), "--timeout=3m");
        measure("kubectl rollout restart -> rollout status complete", start);
        for (String name : old) {
            await().atMost(GRACE).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.pods().inNamespace(NAMESPACE).withName(name).get() == null);
        }
        measure("kubectl rollout restart -> every old pod gone", start);
        chart.awaitPodsReady(2, Duration.ofMinutes(1));
        assertThat(chart.pods()).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(old);
    }

    @Test
    @Order(6)
    void theHeapAndTheWholeProcessStayInsideTheChartsMemoryLimit() throws Exception {
        for (Pod pod : chart.pods()) {
            String metrics = chart.metricsOf(pod);
            double heapMax = RealNodeRelease.sum(metrics, "jvm_memory_max_bytes", "area=\"heap\"");
            double heapUsed = RealNodeRelease.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\"");
            ContainerProcess process = ContainerProcess.of(cluster.stateDir(),
                    pod.getStatus().getContainerStatuses().get(0).getContainerID());
            assertThat(heapMax).isLessThanOrEqualTo(0.75 * MEMORY_LIMIT);
            assertThat(process.memoryPeakBytes()).isLessThan(MEMORY_LIMIT);
            measured.merge("memory (heap used / heap max / RSS / cgroup peak, MiB)", "%.0f / %.0f / %d / %d".formatted(
                    heapUsed / 1048576, heapMax / 1048576, process.residentBytes() / 1048576,
                    process.memoryPeakBytes() / 1048576), (a, b) -> a + "; " + b);
        }
    }

    private static Set<String> podsIn(JsonNode vector) {
        Set<String> pods = new java.util.HashSet<>();
        vector.forEach(series -> pods.add(series.path("metric").path("pod").asText()));
        return pods;
    }

    private static long spentMicros(ExperimentBudget budget) {
        if (budget == null || budget.getStatus() == null || budget.getStatus().getLedger() == null) {
            return 0;
        }
        Long micros = budget.getStatus().getLedger().getSpentMicros();
        return micros == null ? 0 : micros;
    }

    private static void measure(String what, long startNanos) {
        String took = "%.1f s".formatted((System.nanoTime() - startNanos) / 1e9);
        measured.put(what, took);
        System.out.println("[real-node] " + what + ": " + took);
    }
}
