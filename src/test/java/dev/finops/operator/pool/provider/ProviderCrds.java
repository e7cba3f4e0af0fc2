package dev.finops.operator.pool.provider;

import dev.finops.operator.CommittedCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The real Karpenter NodePool and Cluster API MachineDeployment CRDs, fetched from their Go modules at test time by
 * hack/fetch-provider-crds.sh (never committed), installed as their projects ship them.
 */
public final class ProviderCrds {

    static final Path DIR = Path.of("target", "provider-crds");
    public static final String NODEPOOLS = "karpenter.sh_nodepools.yaml";
    public static final String MACHINEDEPLOYMENTS = "cluster.x-k8s.io_machinedeployments.yaml";

    private ProviderCrds() {
    }

    public static void install(KubernetesClient client, String... files) {
        fetch();
        for (String file : files) {
            CommittedCrds.installFile(client, DIR.resolve(file));
        }
    }

    private static synchronized void fetch() {
        try {
            Process process = new ProcessBuilder("hack/fetch-provider-crds.sh", DIR.toString())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("hack/fetch-provider-crds.sh failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
