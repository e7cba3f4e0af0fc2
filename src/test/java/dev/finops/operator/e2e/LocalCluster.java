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
            Path state = Path.of("target", "e2e-cluster").toAbsolutePath();
            env.put("GPU_FINOPS_STATE", state.toString());
            env.put("GPU_FINOPS_ETCD_PORT", "33790");
            env.put("GPU_FINOPS_ETCD_PEER_PORT", "33800");
            env.put("GPU_FINOPS_APISERVER_PORT", "26443");
            env.put("GPU_FINOPS_KCM_PORT", "26257");
            env.put("GPU_FINOPS_SCHEDULER_PORT", "26259");
            env.put("GPU_FINOPS_KWOK_PORT", "26280");
            env.put("GPU_FINOPS_PROMETHEUS_PORT", "29090");
            env.put("GPU_FINOPS_SIM_METRICS_PORT", "29400");
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
