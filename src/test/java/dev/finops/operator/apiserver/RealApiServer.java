package dev.finops.operator.apiserver;

import dev.finops.operator.CommittedCrds;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real kube-apiserver and etcd (io.fabric8:kube-api-test in offline mode) over the binaries that
 * {@code hack/local-cluster.sh build} compiles from Go modules; the build runs that step before the
 * integration tests. Missing binaries fail the test with the command to run, never skip it.
 */
public final class RealApiServer implements AutoCloseable {

    private final KubeAPIServer server;
    private final Path kubeconfig;
    private final KubernetesClient client;
    private final Path binaries;

    private RealApiServer(KubeAPIServer server, Path kubeconfig, KubernetesClient client, Path binaries) {
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.client = client;
        this.binaries = binaries;
    }

    public static RealApiServer start() {
        Path dir = Path.of(System.getProperty("kube.api.test.dir",
                System.getenv().getOrDefault("KUBE_API_TEST_DIR", System.getProperty("user.home") + "/.cache/gpu-finops")));
        Path binaries = binaryDir(dir);
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir.toString())
                .withApiServerVersion(binaries.getFileName().toString().replace("-linux-amd64", ""))
                .withOfflineMode(true)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
        server.start();
        try {
            Path kubeconfig = Files.createTempFile("kube-api-test-", ".kubeconfig");
            Files.writeString(kubeconfig, server.getKubeConfigYaml());
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
                    .build();
            return new RealApiServer(server, kubeconfig, client, binaries);
        } catch (IOException e) {
            server.stop();
            throw new UncheckedIOException(e);
        }
    }

    private static Path binaryDir(Path dir) {
        Path k8s = dir.resolve("k8s");
        try (Stream<Path> versions = Files.isDirectory(k8s) ? Files.list(k8s) : Stream.empty()) {
            return versions.filter(p -> Files.isExecutable(p.resolve("kube-apiserver")))
                    .max(Path::compareTo)
                    .orElseThrow(() -> new IllegalStateException("No kube-apiserver under " + k8s
                            + ": run hack/local-cluster.sh build (the Maven build does it before the ITs)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** Installs the committed CRDs, exactly as users install them, and waits until they are served. */
    public void installCrds() {
        CommittedCrds.install(client);
    }

    /** Runs the real kubectl of the same Kubernetes version against this server; returns stdout. */
    public String kubectl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binaries.resolve("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed: " + err + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.stop();
        try {
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
