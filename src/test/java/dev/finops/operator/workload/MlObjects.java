package dev.finops.operator.workload;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;

/** Objects of the ML workload kinds, valid under their real CRDs, with the owners and labels their controllers set. */
final class MlObjects {

    static final Map<String, Object> POD_TEMPLATE = Map.of("spec", Map.of("containers",
            List.of(Map.of("name", "main", "image", "registry.example/trainer:1"))));

    private MlObjects() {
    }

    /** A minimal valid spec of each kind, running (its suspend field false). */
    static Map<String, Object> runningSpec(WorkloadKind kind) {
        Map<String, Object> replica = Map.of("replicas", 1, "template", POD_TEMPLATE);
        return switch (kind) {
            case PYTORCH_JOB -> Map.of("pytorchReplicaSpecs", Map.of("Master", replica), "runPolicy",
                    Map.of("suspend", false));
            case TF_JOB -> Map.of("tfReplicaSpecs", Map.of("Worker", replica), "runPolicy", Map.of("suspend", false));
            case MPI_JOB -> Map.of("mpiReplicaSpecs", Map.of("Launcher", replica), "runPolicy",
                    Map.of("suspend", false));
            case XGBOOST_JOB -> Map.of("xgbReplicaSpecs", Map.of("Master", replica), "runPolicy",
                    Map.of("suspend", false));
            case PADDLE_JOB -> Map.of("paddleReplicaSpecs", Map.of("Master", replica), "runPolicy",
                    Map.of("suspend", false));
            case JAX_JOB -> Map.of("jaxReplicaSpecs", Map.of("Worker", replica), "runPolicy", Map.of("suspend", false));
            case TRAIN_JOB -> Map.of("runtimeRef", Map.of("name", "torch-distributed"), "suspend", false);
            case JOB_SET -> Map.of("replicatedJobs", List.of(Map.of("name", "workers", "replicas", 1, "template",
                    Map.of("spec", Map.of("template", POD_TEMPLATE)))), "suspend", false);
            case RAY_JOB -> Map.of("entrypoint", "python train.py", "shutdownAfterJobFinishes", true, "suspend", false,
                    "rayClusterSpec", rayClusterSpec());
            case RAY_CLUSTER -> Map.of("headGroupSpec", Map.of("rayStartParams", Map.of(), "template",
                    POD_TEMPLATE), "suspend", false);
            case LEADER_WORKER_SET -> Map.of("replicas", 3, "leaderWorkerTemplate", Map.of("size", 2,
                    "workerTemplate", POD_TEMPLATE));
            default -> throw new IllegalArgumentException(kind + " is built elsewhere");
        };
    }

    static Map<String, Object> rayClusterSpec() {
        return Map.of("headGroupSpec", Map.of("rayStartParams", Map.of(), "template", POD_TEMPLATE));
    }

    static GenericKubernetesResource object(WorkloadKind kind, String namespace, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion(kind.apiVersion()).withKind(kind.kind())
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }

    /** A controller owner reference to {@code owner}, as controller-runtime's SetControllerReference writes it. */
    static OwnerReference controlledBy(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
    }

    static Pod pod(String namespace, String name, Map<String, String> labels, OwnerReference owner) {
        return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .withOwnerReferences(owner == null ? List.of() : List.of(owner)).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("registry.example/trainer:1")
                .withNewResources().addToRequests("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1"))
                .addToLimits("nvidia.com/gpu", new io.fabric8.kubernetes.api.model.Quantity("1")).endResources()
                .endContainer().endSpec().build();
    }
}
