package dev.finops.operator.helm;

import static org.awaitility.Awaitility.await;

import dev.finops.operator.FreePorts;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) run the way the chart runs it, but as a local
 * process: authenticated as the release's ServiceAccount (a token from the TokenRequest API, so every call goes
 * through the chart's RBAC), with exactly the environment the release's Deployment gives its container, in the prod
 * profile (leader election on). Its log goes to target/e2e-operator-helm-&lt;name&gt;.log.
 */
final class ChartOperatorProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String identity;
    private final Path log;
    private final int port;
    private final Process process;

    private ChartOperatorProcess(String identity, Path log, int port, Process process) {
        this.identity = identity;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Starts the operator of {@code release} (installed in {@code namespace}) and waits until it is ready. */
    static ChartOperatorProcess start(KubernetesClient admin, Helm helm, String release, String namespace,
            String name) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the E2E tests run after `./mvnw package`");
        }
        Deployment deployment = helm.manifest(release, namespace).one("Deployment", Deployment.class);
        String serviceAccount = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        Map<String, String> env = containerEnvironment(deployment, namespace);
        int port = FreePorts.next();
        env.put("KUBECONFIG", serviceAccountKubeconfig(admin, namespace, serviceAccount, name).toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("HOSTNAME", name); // the leader-election identity, as a pod's name would be
        Path log = Path.of("target", "e2e-operator-helm-" + name + ".log");
        try {
            Files.deleteIfExists(log);
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar",
                    JAR.toString())).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            ChartOperatorProcess operator = new ChartOperatorProcess(name, log, port, builder.start());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> operator.health("ready") == 200 || !operator.process.isAlive());
            if (!operator.process.isAlive()) {
                throw new AssertionError("the operator exited at startup:\n" + operator.logText());
            }
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Deployment's env for its one container; the downward-API namespace resolved as the kubelet would. */
    private static Map<String, String> containerEnvironment(Deployment deployment, String namespace) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if ("metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(var.getName(), namespace);
            } else {
                throw new AssertionError("no local equivalent for env " + var);
            }
        }
        return env;
    }

    /** A kubeconfig that authenticates as the ServiceAccount with a fresh bound token (TokenRequest API). */
    private static Path serviceAccountKubeconfig(KubernetesClient admin, String namespace, String serviceAccount,
            String name) {
        TokenRequest request = admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build());
        Config config = admin.getConfiguration();
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: cluster
                  cluster: {server: "%s", certificate-authority-data: "%s"}
                users:
                - name: %s
                  user: {token: "%s"}
                contexts:
                - name: operator
                  context: {cluster: cluster, user: %s, namespace: %s}
                current-context: operator
                """.formatted(config.getMasterUrl(), config.getCaCertData(), serviceAccount,
                request.getStatus().getToken(), serviceAccount, namespace);
        try {
            Path file = Path.of("target", "e2e-helm-" + name + ".kubeconfig");
            Files.writeString(file, kubeconfig);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String identity() {
        return identity;
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTP status of /q/health/&lt;check&gt;, or -1 when the port does not answer. */
    int health(String check) {
        try {
            return HTTP.send(request("/q/health/" + check), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String metrics() {
        try {
            return HTTP.send(request("/q/metrics"), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build();
    }


    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
