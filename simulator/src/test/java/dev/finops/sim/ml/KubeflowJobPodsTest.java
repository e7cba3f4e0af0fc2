package dev.finops.sim.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeflowJobPodsTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static GenericKubernetesResource job(String kind, String specsField, String specs) {
        return JSON.unmarshal("""
                apiVersion: kubeflow.org/v1
                kind: %s
                metadata: {name: bert, namespace: ml, uid: job-uid-1}
                spec:
                  %s:
                %s
                """.formatted(kind, specsField, specs.indent(4)), GenericKubernetesResource.class);
    }

    private static final String TEMPLATE = """
            template:
              metadata:
                labels: {experiment: e1}
                annotations: {note: kept}
              spec:
                restartPolicy: Always
                containers:
                - name: pytorch
                  image: trainer
                  resources: {requests: {nvidia.com/gpu: "2"}, limits: {nvidia.com/gpu: "2"}}
            """;

    @Test
    void aPyTorchJobGetsOnePodPerReplicaNamedLabelledAndOwnedAsV181Does() {
        GenericKubernetesResource job = job("PyTorchJob", "pytorchReplicaSpecs",
                "Master:\n  replicas: 1\n  restartPolicy: OnFailure\n" + TEMPLATE.indent(2)
                        + "Worker:\n  replicas: 2\n  restartPolicy: ExitCode\n" + TEMPLATE.indent(2));

        List<Pod> pods = KubeflowJobPods.desired(KubeflowJobKind.PYTORCH_JOB, job, JSON);

        assertThat(pods).extracting(p -> p.getMetadata().getName())
                .containsExactly("bert-master-0", "bert-worker-0", "bert-worker-1");
        Pod master = pods.get(0);
        assertThat(master.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(master.getMetadata().getLabels()).isEqualTo(Map.of(
                "experiment", "e1",
                "training.kubeflow.org/operator-name", "pytorchjob-controller",
                "training.kubeflow.org/job-name", "bert",
                "training.kubeflow.org/replica-type", "master",
                "training.kubeflow.org/replica-index", "0",
                "training.kubeflow.org/job-role", "master"));
        assertThat(master.getMetadata().getAnnotations()).isEqualTo(Map.of("note", "kept"));
        assertThat(master.getMetadata().getOwnerReferences()).singleElement().satisfies(this::controlledByJob);
        assertThat(master.getSpec().getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(master.getSpec().getContainers().get(0).getResources().getRequests().get("nvidia.com/gpu"))
                .hasToString("2");
        Pod worker1 = pods.get(2);
        assertThat(worker1.getMetadata().getLabels()).containsEntry("training.kubeflow.org/replica-type", "worker")
                .containsEntry("training.kubeflow.org/replica-index", "1")
                .doesNotContainKey("training.kubeflow.org/job-role");
        assertThat(worker1.getSpec().getRestartPolicy()).as("ExitCode becomes Never on the pod").isEqualTo("Never");
    }

    private void controlledByJob(OwnerReference ref) {
        assertThat(ref.getApiVersion()).isEqualTo("kubeflow.org/v1");
        assertThat(ref.getKind()).isEqualTo("PyTorchJob");
        assertThat(ref.getName()).isEqualTo("bert");
        assertThat(ref.getUid()).isEqualTo("job-uid-1");
        assertThat(ref.getController()).isTrue();
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
    }

    @Test
    void withoutAMasterWorkerZeroIsTheMasterOfAPyTorchJobButNotOfAnXgboostJob() {
        String workers = "Worker:\n  replicas: 2\n" + TEMPLATE.indent(2);

        List<Pod> pytorch = KubeflowJobPods.desired(KubeflowJobKind.PYTORCH_JOB,
                job("PyTorchJob", "pytorchReplicaSpecs", workers), JSON);
        List<Pod> xgboost = KubeflowJobPods.desired(KubeflowJobKind.XGBOOST_JOB,
                job("XGBoostJob", "xgbReplicaSpecs", workers), JSON);

        assertThat(pytorch).extracting(p -> p.getMetadata().getLabels().get("training.kubeflow.org/job-role"))
                .containsExactly("master", null);
        assertThat(xgboost).extracting(p -> p.getMetadata().getLabels().get("training.kubeflow.org/job-role"))
                .containsExactly(null, null);
        assertThat(xgboost.get(0).getMetadata().getLabels())
                .containsEntry("training.kubeflow.org/operator-name", "xgboostjob-controller");
    }

    @Test
    void workersScaledToZeroThroughTheScaleSubresourceHaveNoPods() {
        GenericKubernetesResource job = job("PyTorchJob", "pytorchReplicaSpecs",
                "Master:\n  replicas: 1\n" + TEMPLATE.indent(2) + "Worker:\n  replicas: 0\n" + TEMPLATE.indent(2));

        assertThat(KubeflowJobPods.desired(KubeflowJobKind.PYTORCH_JOB, job, JSON))
                .extracting(p -> p.getMetadata().getName()).containsExactly("bert-master-0");
    }
}
