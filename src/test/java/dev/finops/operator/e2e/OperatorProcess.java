package dev.finops.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}) as a separate process against the local
 * cluster, so tests can kill it with SIGKILL the way a node failure or an OOM kill would.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Map<String, String> settings;
    private final Path log;
    private Process process;

    public OperatorProcess(LocalCluster cluster, String name, Map<String, String> settings) {
        this(cluster.kubeconfig(), name, settings);
    }

    /** The operator against any API server, e.g. a bare kube-apiserver of the API-server tests. */
    public OperatorProcess(Path kubeconfig, String name, Map<String, String> settings) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the E2E tests run after `./mvnw package`");
        }
        this.settings = new java.util.HashMap<>(settings);
        this.settings.put("KUBECONFIG", kubeconfig.toString());
        this.settings.putIfAbsent("QUARKUS_HTTP_PORT", "0");
        // off unless a test asks for it: most tests run one operator, or two on purpose without a Lease
        this.settings.putIfAbsent("QUARKUS_OPERATOR_SDK_ACTIVATE_LEADER_ELECTION_FOR_PROFILES", "none");
        this.log = Path.of("target", "e2e-operator-" + name + ".log");
        try {
            Files.deleteIfExists(log); // a log of this run only, restarts of this process append to it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OperatorProcess start() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(settings);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** SIGTERM, as the kubelet sends on a rollout or drain; the shutdown hooks run. */
    public void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Waits up to {@code timeout} for the process to end; true when it did. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process == null || process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no last status write. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
