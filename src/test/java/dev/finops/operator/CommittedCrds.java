package dev.finops.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** CRDs installed as users install them (server-side apply), and served before returning: ours from crds/. */
public final class CommittedCrds {

    private static final Path DIR = Path.of("crds");

    private CommittedCrds() {
    }

    public static void install(KubernetesClient client) {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                installFile(client, file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs one CRD file with server-side apply and waits until it is Established. */
    public static void installFile(KubernetesClient client, Path file) {
        try {
            CustomResourceDefinition crd = client.getKubernetesSerialization()
                    .unmarshal(Files.readString(file), CustomResourceDefinition.class);
            client.resource(crd).serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(CommittedCrds::established, 60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
