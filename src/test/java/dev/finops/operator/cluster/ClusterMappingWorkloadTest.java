package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.PodOwner;
import dev.finops.operator.model.WorkloadKey;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workload a GPU pod claims, from the pod alone (what cost is grouped by), and the controller it names. */
class ClusterMappingWorkloadTest {

    @Test
    void aDeploymentsPodClaimsTheDeploymentThroughItsReplicaSetsName() {
        GpuPod pod = map(pod(Map.of("pod-template-hash", "7d9f8"), owner("apps/v1", "ReplicaSet", "trainer-7d9f8")));

        assertThat(pod.workload()).isEqualTo(new WorkloadKey("Deployment", "trainer"));
        assertThat(pod.workloadApiVersion()).isEqualTo("apps/v1");
        assertThat(pod.controller()).isEqualTo(new PodOwner("apps/v1", "ReplicaSet", "trainer-7d9f8", "uid-1"));
    }

    @Test
    void aJobSetsPodClaimsTheJobSetByTheLabelItsControllerWrites() {
        GpuPod pod = map(pod(Map.of("jobset.sigs.k8s.io/jobset-name", "llama"), owner("batch/v1", "Job",
                "llama-node-0")));

        assertThat(pod.workload()).isEqualTo(new WorkloadKey("JobSet", "llama"));
        assertThat(pod.workloadApiVersion()).isEqualTo("jobset.x-k8s.io/v1alpha2");
        assertThat(pod.controller().kind()).isEqualTo("Job");
    }

    @Test
    void aLeaderWorkerSetsWorkerClaimsTheLeaderWorkerSet() {
        GpuPod pod = map(pod(Map.of("leaderworkerset.sigs.k8s.io/name", "vllm"), owner("apps/v1", "StatefulSet",
                "vllm-0")));

        assertThat(pod.workload()).isEqualTo(new WorkloadKey("LeaderWorkerSet", "vllm"));
        assertThat(pod.workloadApiVersion()).isEqualTo("leaderworkerset.x-k8s.io/v1");
    }

    @Test
    void aPyTorchJobsPodClaimsItsControllerWithItsApiVersion() {
        GpuPod pod = map(pod(Map.of("training.kubeflow.org/job-name", "bert"), owner("kubeflow.org/v1", "PyTorchJob",
                "bert")));

        assertThat(pod.workload()).isEqualTo(new WorkloadKey("PyTorchJob", "bert"));
        assertThat(pod.workloadApiVersion()).isEqualTo("kubeflow.org/v1");
    }

    @Test
    void aPodWithoutAControllerIsItsOwnWorkloadAndNamesNoController() {
        GpuPod bare = map(pod(Map.of(), null));
        OwnerReference notController = new OwnerReferenceBuilder(owner("v1", "ConfigMap", "settings"))
                .withController(false).build();
        GpuPod referenced = map(pod(Map.of(), notController));

        assertThat(bare.workload()).isEqualTo(new WorkloadKey("Pod", "p-0"));
        assertThat(bare.workloadApiVersion()).isEqualTo("v1");
        assertThat(bare.controller()).isNull();
        assertThat(referenced.controller()).isNull();
    }

    private static GpuPod map(Pod pod) {
        return ClusterMapping.gpuPod(pod).orElseThrow();
    }

    private static OwnerReference owner(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid("uid-1")
                .withController(true).build();
    }

    private static Pod pod(Map<String, String> labels, OwnerReference owner) {
        return new PodBuilder().withNewMetadata().withNamespace("ml").withName("p-0").withUid("pod-uid")
                .withLabels(labels).withOwnerReferences(owner == null ? List.of() : List.of(owner)).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withNewResources()
                .addToRequests("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec().build();
    }
}
