package dev.finops.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The user-facing examples in deploy/samples, loaded as typed resources. */
public final class Samples {

    public static final Path DIR = Path.of("deploy/samples");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Samples() {
    }

    public static List<Path> files() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T extends HasMetadata> List<T> load(Class<T> type) {
        String kind = HasMetadata.getKind(type);
        return files().stream()
                .map(Samples::read)
                .filter(yaml -> kind.equals(SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class).getKind()))
                .map(yaml -> SERIALIZATION.unmarshal(yaml, type))
                .toList();
    }

    public static <T extends HasMetadata> T named(Class<T> type, String name) {
        return load(type).stream()
                .filter(resource -> name.equals(resource.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no sample " + name + " in " + DIR));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
