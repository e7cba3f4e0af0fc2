package dev.finops.operator.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local control plane of {@code hack/local-cluster.sh} (kube-apiserver, etcd, controller-manager,
 * scheduler, kwok, Prometheus), in its own state directory and on its own ports so that tests never touch a
 * cluster a developer runs for the demo. Started fresh once per test JVM, stopped and wiped when it exits.
 */
public final class LocalCluster {

    private static LocalCluster instance;

    private final Map<String, String> env;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private LocalCluster(Map<String, String> env, Path kubeconfig) {
        this.env = env;
        this.kubeconfig = kubeconfig;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
    }

    public static synchronized LocalCluster get() {
        if (instance == null) {
            Map<String, String> env = new HashMap<>(System.getenv());
            // GPU_FINOPS_E2E_PORT_BASE lets two test runs on one machine use separate clusters. Every port stays
            // below Linux's ephemeral range (32768-60999): a port there can be taken by any outgoing connection
            // of the moment, and etcd then fails to bind.
            int base = Integer.parseInt(env.getOrDefault("GPU_FINOPS_E2E_PORT_BASE", "26000"));
            if (base < 1024 || base + 3400 >= 32768) {
                throw new IllegalArgumentException("GPU_FINOPS_E2E_PORT_BASE=" + base + ": use 1024..29367, so that "
                        + "the cluster's ports (base..base+3400) stay below the ephemeral port range");
            }
            Path state = Path.of("target", "e2e-cluster-" + base).toAbsolutePath();
            env.put("GPU_FINOPS_STATE", state.toString());
            env.put("GPU_FINOPS_ETCD_PORT", Integer.toString(base + 790));
            env.put("GPU_FINOPS_ETCD_PEER_PORT", Integer.toString(base + 800));
            env.put("GPU_FINOPS_APISERVER_PORT", Integer.toString(base + 443));
            env.put("GPU_FINOPS_KCM_PORT", Integer.toString(base + 257));
            env.put("GPU_FINOPS_SCHEDULER_PORT", Integer.toString(base + 259));
            env.put("GPU_FINOPS_KWOK_PORT", Integer.toString(base + 280));
            env.put("GPU_FINOPS_PROMETHEUS_PORT", Integer.toString(base + 3090));
            env.put("GPU_FINOPS_SIM_METRICS_PORT", Integer.toString(base + 3400));
            env.put("GPU_FINOPS_KUBELET_PORT", Integer.toString(base + 350));
            env.put("GPU_FINOPS_KUBELET_HEALTHZ_PORT", Integer.toString(base + 348));
            run(env, "down", "--purge");
            run(env, "up");
            instance = new LocalCluster(env, state.resolve("kubeconfig"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                instance.client.close();
                run(env, "down", "--purge");
            }));
        }
        return instance;
    }

    /** Installs the committed CRDs, as users do, and waits until they are served. */
    public void installCrds() {
        dev.finops.operator.CommittedCrds.install(client);
    }

    /** Creates a namespace and waits for its default ServiceAccount, without which no pod is admitted. */
    public void namespace(String name) {
        client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(name)
                .endMetadata().build()).serverSideApply();
        client.serviceAccounts().inNamespace(name).withName("default")
                .waitUntilCondition(java.util.Objects::nonNull, 60, TimeUnit.SECONDS);
    }

    /** Waits until at least {@code count} pods of {@code namespace} run (kwok has reported their start). */
    public void awaitRunningPods(String namespace, int count) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> client.pods()
                .inNamespace(namespace).list().getItems().stream()
                .filter(p -> "Running".equals(p.getStatus().getPhase()) && p.getStatus().getStartTime() != null)
                .count() >= count);
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The port the simulator's DCGM endpoint must listen on for this cluster's Prometheus to scrape it. */
    public int simulatorMetricsPort() {
        return Integer.parseInt(env.get("GPU_FINOPS_SIM_METRICS_PORT"));
    }

    public String prometheusUrl() {
        return "http://127.0.0.1:" + env.get("GPU_FINOPS_PROMETHEUS_PORT");
    }

    /** Stops this cluster's Prometheus (SIGTERM, as an outage or a rollout would), leaving its data. */
    public void stopPrometheus() throws Exception {
        stop("prometheus");
    }

    /**
     * Stops one component of the control plane with SIGTERM ({@code etcd}, {@code kube-apiserver},
     * {@code prometheus}, ...), leaving its data; {@link #startMissingComponents()} brings it back.
     */
    public void stop(String component) throws Exception {
        ProcessHandle process = component(component);
        process.destroy();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** Kills one component with SIGKILL, as a node failure or the OOM killer would: no clean shutdown. */
    public void kill(String component) throws Exception {
        ProcessHandle process = component(component);
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    private ProcessHandle component(String component) throws IOException {
        Path pidFile = Path.of(env.get("GPU_FINOPS_STATE"), "pids", component + ".pid");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(component + " (pid " + pid + ") is not running"));
    }

    /**
     * Adds the real node ({@code hack/local-cluster.sh up --real-node}: containerd and a kubelet, tainted
     * {@code gpu-finops.dev/real-node}) to this cluster; idempotent.
     */
    public void startRealNode() {
        run(env, "up", "--real-node");
    }

    /** Imports an image archive into the real node's containerd, as {@code kind load image-archive} would. */
    public void loadImage(Path archive) {
        run(env, "load-image", archive.toString());
    }

    public Path stateDir() {
        return Path.of(env.get("GPU_FINOPS_STATE"));
    }

    public int apiServerPort() {
        return Integer.parseInt(env.get("GPU_FINOPS_APISERVER_PORT"));
    }

    /** Starts whatever component is down again ({@code hack/local-cluster.sh up} is idempotent). */
    public void startMissingComponents() {
        run(env, "up");
    }

    private static void run(Map<String, String> env, String... verb) {
        List<String> command = new java.util.ArrayList<>(List.of("hack/local-cluster.sh"));
        command.addAll(List.of(verb));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed; see its output above");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
