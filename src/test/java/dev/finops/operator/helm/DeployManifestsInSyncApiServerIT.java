package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/*.yaml is exactly what {@code hack/render-deploy.sh} renders from the chart (on failure: run
 * {@code hack/update-generated.sh}), and {@code kubectl apply -f deploy/} on a real API server installs the operator:
 * namespace, CRDs, RBAC, Deployment, whose pod the namespace's restricted Pod Security admission accepts.
 */
class DeployManifestsInSyncApiServerIT {

    private static final Path DEPLOY = Path.of("deploy");

    @Test
    void deployManifestsAreWhatTheChartRenders(@TempDir Path rendered) throws IOException {
        ExternalCommand.run(List.of("hack/render-deploy.sh", rendered.toString())).orFail();
        List<String> expected = yamlFiles(rendered);
        assertThat(expected).containsExactly("00-namespace.yaml", "01-crds.yaml", "02-operator.yaml");
        assertThat(yamlFiles(DEPLOY)).as("deploy/*.yaml: run hack/update-generated.sh").containsExactlyElementsOf(expected);
        for (String file : expected) {
            assertThat(Files.readString(DEPLOY.resolve(file)))
                    .as("deploy/%s is out of date: run hack/update-generated.sh", file)
                    .isEqualTo(Files.readString(rendered.resolve(file)));
        }
    }

    @Test
    void kubectlApplyOfDeployInstallsTheOperator() {
        try (RealApiServer server = RealApiServer.start()) {
            Kubectl kubectl = new Kubectl(server.kubeconfig());
            kubectl.run("apply", "-f", DEPLOY.toString()).orFail();
            ExternalCommand.Result again = kubectl.run("apply", "-f", DEPLOY.toString()).orFail();
            assertThat(again.stdout()).as("a second apply creates nothing").doesNotContain(" created");
            assertThat(again.stdout().lines().filter(line -> !line.startsWith("customresourcedefinition")))
                    .as("a second apply changes nothing (the API server normalises CRDs)")
                    .allSatisfy(line -> assertThat(line).endsWith(" unchanged"));

            RenderedManifests manifests = RenderedManifests.parse(readAll());
            for (String object : manifests.identities()) {
                String[] parts = object.split("/");
                List<String> args = parts.length == 3 ? List.of("get", parts[0], parts[2], "-n", parts[1])
                        : List.of("get", parts[0], parts[1]);
                assertThat(kubectl.run(args.toArray(String[]::new)).succeeded()).as(object).isTrue();
            }
            assertThat(server.client().namespaces().withName("gpu-finops").get().getMetadata().getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

            Deployment deployment = server.client().apps().deployments().inNamespace("gpu-finops")
                    .withName("gpu-finops-operator").get();
            PodTemplateSpec template = deployment.getSpec().getTemplate();
            Pod pod = new PodBuilder().withNewMetadata().withName("operator").endMetadata()
                    .withSpec(template.getSpec()).build();
            assertThat(server.client().pods().inNamespace("gpu-finops").resource(pod).dryRun().create()).isNotNull();
        }
    }

    private static String readAll() {
        StringBuilder all = new StringBuilder();
        for (String file : yamlFiles(DEPLOY)) {
            try {
                all.append(Files.readString(DEPLOY.resolve(file))).append("\n---\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    private static List<String> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
