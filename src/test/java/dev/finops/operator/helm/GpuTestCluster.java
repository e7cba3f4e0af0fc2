package dev.finops.operator.helm;

import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Nodes and pods for the chart's E2E tests on the local control plane: static GPU nodes whose pods' status the test
 * writes itself (as GroundTruthScenario does), and a CPU node that kwok runs pods on (for the operator's own pod).
 */
final class GpuTestCluster {

    private static final String OWNER_LABEL = "finops.dev/e2e";

    private final KubernetesClient client;
    private final String owner;

    GpuTestCluster(KubernetesClient client, String owner) {
        this.client = client;
        this.owner = owner;
    }

    /** A node kwok manages: pods scheduled onto it become Running and Ready, so `helm install --wait` completes. */
    void kwokNode(String name) {
        Map<String, Quantity> resources = Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
                "pods", new Quantity("110"));
        Node node = new NodeBuilder().withNewMetadata().withName(name)
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToLabels(OWNER_LABEL, owner).addToLabels("type", "kwok")
                .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("kubernetes.io/hostname", name).endMetadata()
                .withNewStatus().withCapacity(resources).withAllocatable(resources).endStatus().build();
        client.nodes().resource(node).createOr(existing -> existing.update());
    }

    /** A kwok-run p4d.24xlarge with 8 GPUs, for workloads that select it by label finops.dev/e2e-node=&lt;name&gt;. */
    void kwokGpuNode(String name) {
        Node node = GpuFixtures.p4dNode(name, "on-demand", Map.of(OWNER_LABEL, owner, "finops.dev/e2e-node", name));
        client.nodes().resource(node).createOr(existing -> existing.update());
    }

    /** A static on-demand node with 8 nvidia.com/gpu of that instance type, labelled finops.dev/pool=&lt;pool&gt;. */
    void gpuNode(String name, String instanceType, String pool) {
        Map<String, Quantity> resources = Map.of("nvidia.com/gpu", new Quantity("8"), "cpu", new Quantity("96"),
                "pods", new Quantity("110"));
        Node node = new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels(OWNER_LABEL, owner).addToLabels("finops.dev/pool", pool)
                .addToLabels("node.kubernetes.io/instance-type", instanceType)
                .addToLabels("karpenter.sh/capacity-type", "on-demand").endMetadata()
                .withNewStatus().withCapacity(resources).withAllocatable(resources).endStatus().build();
        client.nodes().resource(node).createOr(existing -> existing.update());
    }

    /** A pod labelled team=&lt;team&gt; requesting GPUs on a node, Running since {@code runningFor} ago. */
    void runningGpuPod(String namespace, String name, String team, String node, int gpus, Duration runningFor) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("team", team).endMetadata()
                .withNewSpec().withNodeName(node).withRestartPolicy("Never")
                .addNewContainer().withName("train").withImage("registry.example/train:1")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))
                .addToLimits("nvidia.com/gpu", new Quantity(Integer.toString(gpus))).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .endContainer().endSpec().build();
        Pod created = client.resource(pod).create();
        String started = Instant.now().minus(runningFor).toString();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withStartTime(started)
                .withContainerStatuses(new ContainerStatusBuilder().withName("train")
                        .withImage("registry.example/train:1").withImageID("").withReady(true).withRestartCount(0)
                        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(started).endRunning()
                                .build()).build())
                .build());
        client.resource(created).updateStatus();
    }

    /** A Helm values file under target/. */
    Path valuesFile(String name, String yaml) {
        try {
            Path file = Path.of("target", "e2e-" + owner + "-" + name + ".values.yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes the pools, namespaces (with their budgets) and nodes this owner created, so later tests see a clean
     * cluster; waits until the budgets and pools are gone, which needs a running operator to drop its finalizer.
     */
    void removeAll(List<String> pools, String... namespaces) {
        pools.forEach(pool -> client.resources(GpuPool.class).withName(pool).delete());
        for (String namespace : namespaces) {
            client.resources(ExperimentBudget.class).inNamespace(namespace).delete();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pools.stream()
                .allMatch(pool -> client.resources(GpuPool.class).withName(pool).get() == null)
                && List.of(namespaces).stream().allMatch(namespace -> client.resources(ExperimentBudget.class)
                        .inNamespace(namespace).list().getItems().isEmpty()));
        for (String namespace : namespaces) {
            client.namespaces().withName(namespace).delete();
        }
        client.nodes().withLabel(OWNER_LABEL, owner).delete();
    }
}
