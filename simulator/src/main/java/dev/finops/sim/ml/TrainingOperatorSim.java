package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plays the Kubeflow Training Operator v1.8.1 for one job kind (PyTorchJob, TFJob...): creates the job's
 * replica pods ({@link KubeflowJobPods}), owned by it, for the scheduler to place on the GPU nodes; when
 * {@code spec.runPolicy.suspend} is true deletes them and sets {@code Suspended}; when it is false again
 * creates them anew and sets {@code Suspended=False} ({@code <Kind>Resumed}). Pods out of range (replicas
 * lowered, e.g. through the CRD's {@code /scale} on Worker) are deleted. The job succeeds when its master
 * pod does; its pods then stay (cleanPodPolicy None).
 */
final class TrainingOperatorSim implements SimulatedController {

    private final KubernetesClient client;
    private final KubeflowJobKind kind;
    private final Clock clock;
    private final Consumer<String> report;
    private final ReconcileQueue queue;
    private final SharedIndexInformer<GenericKubernetesResource> jobs;
    private final OwnedPods pods;

    TrainingOperatorSim(KubernetesClient client, KubeflowJobKind kind, Clock clock, Consumer<String> report) {
        this.client = client;
        this.kind = kind;
        this.clock = clock;
        this.report = report;
        this.queue = new ReconcileQueue(kind.controllerName(), this::reconcile);
        this.jobs = Informers.start(client.genericKubernetesResources(kind.customKind().context()).inAnyNamespace(),
                queue);
        this.pods = OwnedPods.start(client, KubeflowJobKind.OPERATOR_NAME_LABEL, kind.controllerName(), kind.kind(),
                queue::enqueue);
    }

    @Override
    public String name() {
        return "training-operator (" + kind.kind() + ")";
    }

    void reconcile(ObjectKey key) {
        GenericKubernetesResource job = jobs.getStore().getByKey(key.namespace() + "/" + key.name());
        if (job == null || job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<Pod> owned = pods.of(job.getMetadata().getUid());
        boolean suspended = Unstructured.isTrue(job, "spec", "runPolicy", "suspend");
        boolean finished = KubeflowJobStatus.isTrue(Unstructured.list(job.getAdditionalProperties(), "status",
                "conditions"), "Succeeded");
        List<Pod> desired = suspended || finished ? List.of()
                : KubeflowJobPods.desired(kind, job, client.getKubernetesSerialization());
        if (!finished) {
            PodSets.converge(client, name(), kind.kind() + " " + key, owned, desired, report);
        }
        writeStatus(job, owned, suspended, desired.size());
    }

    private void writeStatus(GenericKubernetesResource job, List<Pod> owned, boolean suspended, int desired) {
        Map<String, KubeflowJobStatus.ReplicaCounts> counts = new HashMap<>();
        Set<String> types = Unstructured.map(job, "spec", kind.replicaSpecsField()).keySet();
        for (String type : types) {
            List<Pod> ofType = owned.stream().filter(p -> type.equalsIgnoreCase(
                    p.getMetadata().getLabels().get(KubeflowJobKind.REPLICA_TYPE_LABEL))).toList();
            counts.put(type, new KubeflowJobStatus.ReplicaCounts(count(ofType, "Running") + count(ofType, "Pending"),
                    count(ofType, "Succeeded"), count(ofType, "Failed")));
        }
        boolean allRunning = desired > 0 && owned.size() == desired && count(owned, "Running") == desired;
        boolean succeeded = owned.stream().anyMatch(p -> "master".equals(p.getMetadata().getLabels()
                .get(KubeflowJobKind.JOB_ROLE_LABEL)) && "Succeeded".equals(phase(p)));
        Map<String, Object> old = Unstructured.map(job, "status");
        Map<String, Object> next = KubeflowJobStatus.next(kind.kind(), job.getMetadata().getName(), old, suspended,
                counts, allRunning, succeeded, clock.instant());
        StatusWriter.writeIfChanged(client, kind.customKind(), job, next);
    }

    private static int count(List<Pod> pods, String phase) {
        return (int) pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && phase.equals(phase(p))).count();
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    @Override
    public void close() {
        jobs.close();
        pods.close();
        queue.close();
    }

}
