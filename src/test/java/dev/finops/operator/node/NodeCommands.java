package dev.finops.operator.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The commands the real-node test runs (hack/image.sh, helm, kubectl, ctr), each with its output captured and
 * shown whole when it fails. Binaries come from {@code hack/local-cluster.sh paths}, as the scripts use them.
 */
final class NodeCommands {

    private final Path kubeconfig;
    private final Map<String, String> paths;

    NodeCommands(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        this.paths = new HashMap<>();
        for (String line : run(List.of("hack/local-cluster.sh", "paths")).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                paths.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    String helm(String... args) {
        return run(withKubeconfig(Path.of(paths.get("HELM_BIN_DIR"), "helm"), args));
    }

    String kubectl(String... args) {
        return run(withKubeconfig(Path.of(paths.get("K8S_BIN_DIR"), "kubectl"), args));
    }

    /** {@code ctr} against the real node's containerd, in the namespace the kubelet uses. */
    static String ctr(Path stateDir, String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address",
                stateDir.resolve("node/containerd/containerd.sock").toString(), "-n", "k8s.io"));
        command.addAll(List.of(args));
        return run(command);
    }

    private List<String> withKubeconfig(Path binary, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        command.add("--kubeconfig=" + kubeconfig);
        return command;
    }

    /** Runs {@code command} to its end (10 minutes at most) and returns its stdout; fails with all it printed. */
    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
