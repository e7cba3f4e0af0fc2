package dev.finops.operator.workload;

import dev.finops.operator.CommittedCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CRDs of the ML workload kinds, collected at test time by hack/fetch-workload-crds.sh: the real ones from
 * their Go modules (Kubeflow training operator, Trainer, KubeRay, Kueue), never committed, and the committed
 * stand-ins of hack/crds/ for the kinds whose modules cannot be had (JobSet, LeaderWorkerSet, JAXJob).
 */
public final class WorkloadCrds {

    static final Path DIR = Path.of("target", "workload-crds");

    private WorkloadCrds() {
    }

    /** Installs every one of them, as their projects ship them, and waits until each is served. */
    public static void installAll(KubernetesClient client) {
        fetch();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                CommittedCrds.installFile(client, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void fetch() {
        try {
            Process process = new ProcessBuilder("hack/fetch-workload-crds.sh", DIR.toString())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("hack/fetch-workload-crds.sh failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
