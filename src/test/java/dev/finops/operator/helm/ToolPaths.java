package dev.finops.operator.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The helm and kubectl binaries that {@code hack/local-cluster.sh build} compiles (the Maven build runs it before
 * the integration tests), found through the script's {@code paths} verb so version bumps need no change here;
 * promtool from the Prometheus package the local cluster already requires.
 */
final class ToolPaths {

    private static Map<String, String> paths;

    private ToolPaths() {
    }

    static Path helm() {
        return existing(Path.of(path("HELM_BIN_DIR"), "helm"));
    }

    static Path kubectl() {
        return existing(Path.of(path("K8S_BIN_DIR"), "kubectl"));
    }

    static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not on PATH: run hack/local-cluster.sh build (the installer ./mvnw -B verify "
                + "and .ci/run use)");
    }

    private static synchronized String path(String key) {
        if (paths == null) {
            ExternalCommand.Result result = ExternalCommand.run(List.of("hack/local-cluster.sh", "paths")).orFail();
            paths = new HashMap<>();
            result.stdout().lines().filter(line -> line.contains("="))
                    .forEach(line -> paths.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        }
        String value = paths.get(key);
        if (value == null) {
            throw new AssertionError("hack/local-cluster.sh paths printed no " + key);
        }
        return value;
    }

    private static Path existing(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: run hack/local-cluster.sh build (the Maven build does it"
                    + " before the integration tests)");
        }
        return binary;
    }
}
