package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kueue side of a workload Kueue admits (label {@code kueue.x-k8s.io/queue-name}): Kueue owns the job's
 * {@code suspend} and would undo a direct toggle, so the job is stopped through its Kueue {@code Workload}
 * ({@code spec.active: false}, back to true on restore), found by its controller owner reference to the job (or
 * the {@code kueue.x-k8s.io/job-uid} label Kueue puts on it). The restore record stays on the job: Kueue recreates
 * Workloads. Kueue v0.17.0 stores Workloads as v1beta2.
 */
final class KueueWorkloads {

    static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    static final String JOB_UID_LABEL = "kueue.x-k8s.io/job-uid";
    static final String API_VERSION = "kueue.x-k8s.io/v1beta2";
    private static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta2").withPlural("workloads").withKind("Workload")
            .withNamespaced(true).build();
    private static final String RESOURCE = "workloads.kueue.x-k8s.io";

    /** What was found for a job: its Workload, or why it cannot be used; {@code notServed} when Kueue is absent. */
    record Found(String name, boolean active, String unavailable, boolean notServed) {
    }

    private final KubernetesClient client;

    KueueWorkloads(KubernetesClient client) {
        this.client = client;
    }

    static boolean queued(HasMetadata job) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels != null && labels.get(QUEUE_LABEL) != null && !labels.get(QUEUE_LABEL).isBlank();
    }

    Found find(HasMetadata job) {
        String uid = job.getMetadata().getUid();
        List<GenericKubernetesResource> workloads;
        try {
            var inNamespace = client.genericKubernetesResources(WORKLOADS).inNamespace(job.getMetadata().getNamespace());
            workloads = inNamespace.withLabel(JOB_UID_LABEL, uid).list().getItems();
            if (workloads.stream().noneMatch(w -> ownedBy(w, uid))) {
                // a Workload Kueue created before it labelled them: by its owner reference alone
                workloads = inNamespace.list().getItems().stream().filter(w -> ownedBy(w, uid)).toList();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new Found(null, true, null, true);
            }
            if (e.getCode() == 403) {
                return new Found(null, true, WorkloadKind.Family.KUEUE.forbidden("list", RESOURCE), false);
            }
            throw e;
        }
        Optional<GenericKubernetesResource> mine = workloads.stream().filter(w -> ownedBy(w, uid)).findFirst();
        if (mine.isEmpty()) {
            return new Found(null, true, "it waits in Kueue queue " + job.getMetadata().getLabels().get(QUEUE_LABEL)
                    + ", but Kueue has no Workload for it yet; it is stopped through that Workload (spec.active), "
                    + "since Kueue would undo a direct suspend", false);
        }
        Object active = mine.get().getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                ? spec.get("active") : null;
        return new Found(mine.get().getMetadata().getName(), !Boolean.FALSE.equals(active), null, false);
    }

    /** Sets the Workload's {@code spec.active}; a refusal names the chart value that grants it. */
    void setActive(WorkloadRef job, String workload, boolean active) {
        try {
            client.genericKubernetesResources(WORKLOADS).inNamespace(job.namespace()).withName(workload)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"active\":" + active + "}}");
        } catch (KubernetesClientException e) {
            throw e.getCode() == 403 ? WorkloadPatches.explained(e, WorkloadKind.Family.KUEUE.forbidden("patch",
                    RESOURCE)) : e;
        }
    }

    private static boolean ownedBy(GenericKubernetesResource workload, String uid) {
        List<OwnerReference> owners = workload.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid())
                && Boolean.TRUE.equals(o.getController()));
    }
}
