package dev.finops.sim.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RayClusterPodsTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private static GenericKubernetesResource cluster(String suspend, String groups) {
        return JSON.unmarshal("""
                apiVersion: ray.io/v1
                kind: RayCluster
                metadata: {name: tune-x7k2p, namespace: ml, uid: rc-uid}
                spec:
                  suspend: %s
                  headGroupSpec:
                    template:
                      metadata: {labels: {experiment: e1, ray.io/node-type: forged}}
                      spec: {containers: [{name: ray-head, image: ray}]}
                  workerGroupSpecs:
                %s
                """.formatted(suspend, groups.indent(2)), GenericKubernetesResource.class);
    }

    private static String group(String name, String fields) {
        return "- groupName: " + name + "\n  " + fields + "\n  template:\n    spec: {containers: [{name: ray-worker, image: ray}]}\n";
    }

    @Test
    void eachGroupWantsItsReplicasClampedToMinAndMaxTimesItsHosts() {
        GenericKubernetesResource c = cluster("false", group("gpu", "replicas: 3\n  minReplicas: 1\n  maxReplicas: 2")
                + group("few", "minReplicas: 2") + group("multi", "replicas: 2\n  numOfHosts: 4")
                + group("paused", "replicas: 5\n  suspend: true"));

        assertThat(RayClusterPods.desiredCounts(c)).isEqualTo(Map.of("headgroup", 1, "gpu", 2, "few", 2, "multi", 8,
                "paused", 0));
    }

    @Test
    void aSuspendedClusterWantsNoPodsAtAll() {
        assertThat(RayClusterPods.desiredCounts(cluster("true", group("gpu", "replicas: 2"))))
                .isEqualTo(Map.of("headgroup", 0, "gpu", 0));
    }

    @Test
    void podsAreNamedLabelledAndOwnedAsKubeRayDoes() {
        GenericKubernetesResource c = cluster("false", group("gpu-workers", "replicas: 1"));

        Pod head = RayClusterPods.newPod(c, "headgroup", JSON);
        Pod worker = RayClusterPods.newPod(c, "gpu-workers", JSON);

        assertThat(head.getMetadata().getGenerateName()).isEqualTo("tune-x7k2p-head-");
        assertThat(head.getMetadata().getLabels()).isEqualTo(Map.of("ray.io/is-ray-node", "yes",
                "ray.io/cluster", "tune-x7k2p", "ray.io/node-type", "head", "ray.io/group", "headgroup",
                "ray.io/identifier", "tune-x7k2p-head", "app.kubernetes.io/name", "kuberay",
                "app.kubernetes.io/created-by", "kuberay-operator", "experiment", "e1"));
        assertThat(worker.getMetadata().getGenerateName()).isEqualTo("tune-x7k2p-gpu-workers-worker-");
        assertThat(worker.getMetadata().getLabels()).containsEntry("ray.io/node-type", "worker")
                .containsEntry("ray.io/group", "gpu-workers").containsEntry("ray.io/identifier", "tune-x7k2p-worker");
        assertThat(worker.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getKind()).isEqualTo("RayCluster");
            assertThat(ref.getUid()).isEqualTo("rc-uid");
            assertThat(ref.getController()).isTrue();
        });
    }

    @Test
    void aLongPrefixIsCutToFiftyCharactersAndLowercased() {
        assertThat(RayClusterPods.podPrefix("A".repeat(60), "worker")).isEqualTo("a".repeat(50) + "-worker-");
    }
}
