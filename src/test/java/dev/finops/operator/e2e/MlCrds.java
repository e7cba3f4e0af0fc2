package dev.finops.operator.e2e;

import dev.finops.operator.CommittedCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real CRDs of the ML projects whose controllers the simulator plays, by the file names the projects ship
 * them under: taken from target/workload-crds or target/provider-crds when a fetch script put them there,
 * else read straight from the pinned Go module ({@code go mod download}); never committed.
 */
public enum MlCrds {

    PYTORCHJOBS("github.com/kubeflow/training-operator", "v1.8.1", "manifests/base/crds", "kubeflow.org_pytorchjobs.yaml"),
    TFJOBS("github.com/kubeflow/training-operator", "v1.8.1", "manifests/base/crds", "kubeflow.org_tfjobs.yaml"),
    TRAINJOBS("github.com/kubeflow/trainer/v2", "v2.0.0", "manifests/base/crds", "trainer.kubeflow.org_trainjobs.yaml"),
    RAYJOBS("github.com/ray-project/kuberay/ray-operator", "v1.5.0", "config/crd/bases", "ray.io_rayjobs.yaml"),
    RAYCLUSTERS("github.com/ray-project/kuberay/ray-operator", "v1.5.0", "config/crd/bases", "ray.io_rayclusters.yaml"),
    KUEUE_WORKLOADS("sigs.k8s.io/kueue", "v0.17.0", "config/components/crd/bases", "kueue.x-k8s.io_workloads.yaml");

    private static final List<Path> FETCHED = List.of(Path.of("target", "workload-crds"),
            Path.of("target", "provider-crds"));
    private static final Pattern DIR = Pattern.compile("\"Dir\":\\s*\"([^\"]+)\"");

    private final String module;
    private final String version;
    private final String dir;
    private final String file;

    MlCrds(String module, String version, String dir, String file) {
        this.module = module;
        this.version = version;
        this.dir = dir;
        this.file = file;
    }

    public String file() {
        return file;
    }

    /** Installs the CRDs (server-side apply, as their projects ship them) and waits until they are served. */
    public static void install(KubernetesClient client, MlCrds... crds) {
        for (MlCrds crd : crds) {
            CommittedCrds.installFile(client, crd.path());
        }
    }

    Path path() {
        return FETCHED.stream().map(d -> d.resolve(file)).filter(Files::isRegularFile).findFirst()
                .orElseGet(() -> moduleDir().resolve(dir).resolve(file));
    }

    private Path moduleDir() {
        try {
            Path tmp = Files.createTempDirectory("ml-crds");
            ProcessBuilder builder = new ProcessBuilder("go", "mod", "download", "-json", module + "@" + version)
                    .directory(tmp.toFile()).redirectErrorStream(true);
            builder.environment().putAll(Map.of("GOFLAGS", "-mod=mod"));
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.delete(tmp);
            Matcher dirMatch = DIR.matcher(out);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0 || !dirMatch.find()) {
                throw new IllegalStateException("go mod download " + module + "@" + version + " failed: " + out);
            }
            return Path.of(dirMatch.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
