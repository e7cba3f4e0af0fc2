package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs the Helm chart installs are exact copies of the committed crds/ (which CrdInSyncTest holds to the Java
 * model). On failure, run {@code hack/update-generated.sh} and commit the result.
 */
class ChartCrdsInSyncTest {

    private static final Path COMMITTED = Path.of("crds");
    private static final Path CHART = Path.of("helm", "gpu-finops-operator", "crds");

    @Test
    void chartCrdsAreExactCopiesOfTheCommittedOnes() throws IOException {
        List<String> committed = names(COMMITTED);
        assertThat(committed).as("CRDs in crds/").isNotEmpty();
        assertThat(names(CHART)).as("files in %s: run hack/update-generated.sh", CHART)
                .containsExactlyElementsOf(committed);
        for (String name : committed) {
            assertThat(Files.readString(CHART.resolve(name)))
                    .as("%s/%s differs from crds/%s: run hack/update-generated.sh", CHART, name, name)
                    .isEqualTo(Files.readString(COMMITTED.resolve(name)));
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
