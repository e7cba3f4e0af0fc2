package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Plays Kueue v0.17.0 for batch/v1 Jobs labelled {@code kueue.x-k8s.io/queue-name}: each gets a Workload
 * ({@link KueueWorkloads}) owned by it, which is admitted at once (one ClusterQueue, no quota to wait for), and
 * the Job is then started ({@code spec.suspend: false}): Kueue owns {@code spec.suspend} of what it admits.
 * A Job running without an admitted Workload is suspended again (Kueue undoes a direct unsuspend; and a
 * direct suspend of an admitted Job is undone too). {@code spec.active: false} on the Workload evicts it
 * (reason {@code Deactivated}), suspends the Job and releases its quota; {@code active: true} admits it again
 * and the Job runs anew. A deleted Workload is made again.
 */
final class KueueSim implements SimulatedController {

    private final KubernetesClient client;
    private final Clock clock;
    private final Consumer<String> report;
    private final ReconcileQueue queue;
    private final SharedIndexInformer<Job> jobs;
    private final SharedIndexInformer<GenericKubernetesResource> workloads;

    KueueSim(KubernetesClient client, Clock clock, Consumer<String> report) {
        this.client = client;
        this.clock = clock;
        this.report = report;
        this.queue = new ReconcileQueue("kueue-job-controller", this::reconcile);
        this.jobs = Informers.start(client.batch().v1().jobs().inAnyNamespace()
                .withLabel(KueueWorkloads.QUEUE_NAME_LABEL), queue);
        this.workloads = client.genericKubernetesResources(CustomKind.KUEUE_WORKLOAD.context()).inAnyNamespace()
                .runnableInformer(Informers.RESYNC.toMillis());
        workloads.addIndexers(Map.of("job-uid", w -> Owners.controllerOf(w).filter(r -> "Job".equals(r.getKind()))
                .map(r -> List.of(r.getUid())).orElse(List.of())));
        workloads.addEventHandler(new OwnerWakingHandler<>("Job", queue));
        workloads.run();
    }

    @Override
    public String name() {
        return "kueue";
    }

    void reconcile(ObjectKey key) {
        Job job = jobs.getStore().getByKey(key.namespace() + "/" + key.name());
        if (job == null || job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        List<GenericKubernetesResource> owned = workloads.getIndexer().byIndex("job-uid", job.getMetadata().getUid());
        GenericKubernetesResource workload = owned.isEmpty() ? null : owned.get(0);
        if (finished(job)) {
            return;
        }
        if (workload == null || workload.getMetadata().getDeletionTimestamp() != null) {
            if (!suspended) {
                setSuspend(job, true, "no admitted Workload yet");
            }
            if (workload == null) {
                createWorkload(job);
            }
            return;
        }
        boolean admitted = KueueWorkloads.admitted(workload);
        if (!KueueWorkloads.active(workload)) {
            if (!suspended) {
                setSuspend(job, true, "Workload " + workload.getMetadata().getName() + " deactivated: evicted");
            }
            StatusWriter.writeIfChanged(client, CustomKind.KUEUE_WORKLOAD, workload,
                    KueueWorkloads.deactivatedStatus(workload, clock.instant()));
        } else if (!admitted) {
            StatusWriter.writeIfChanged(client, CustomKind.KUEUE_WORKLOAD, workload,
                    KueueWorkloads.admittedStatus(workload, job, clock.instant()));
            report.accept(name() + ": admitted Workload " + key.namespace() + "/" + workload.getMetadata().getName()
                    + " into ClusterQueue " + KueueWorkloads.CLUSTER_QUEUE);
        } else if (suspended) {
            setSuspend(job, false, "Workload " + workload.getMetadata().getName() + " admitted");
        }
    }

    private void createWorkload(Job job) {
        GenericKubernetesResource workload = KueueWorkloads.newWorkload(job, client.getKubernetesSerialization());
        try {
            client.genericKubernetesResources(CustomKind.KUEUE_WORKLOAD.context()).resource(workload).create();
            report.accept(name() + ": created Workload " + job.getMetadata().getNamespace() + "/"
                    + workload.getMetadata().getName() + " for Job " + job.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void setSuspend(Job job, boolean suspend, String why) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
        report.accept(name() + ": " + (suspend ? "suspended" : "started") + " Job " + job.getMetadata().getNamespace()
                + "/" + job.getMetadata().getName() + " (" + why + ")");
    }

    private static boolean finished(Job job) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        return conditions != null && conditions.stream().anyMatch(c -> ("Complete".equals(c.getType())
                || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() {
        jobs.close();
        workloads.close();
        queue.close();
    }
}
