package dev.finops.operator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stops and restores workloads, reversibly, the one mechanism budgets and idle scale-down share: Jobs and
 * CronJobs get {@code spec.suspend=true}; Deployments, StatefulSets and any resource with a {@code /scale}
 * subresource go to zero replicas through it. Each action leaves a {@link RestoreRecord} on the workload, so
 * a restore gives back exactly what was there, after an operator restart too.
 */
@ApplicationScoped
public class WorkloadController {

    private static final Logger LOG = Logger.getLogger(WorkloadController.class);
    /** Plain Jackson: a merge patch needs its nulls (fabric8's serialization drops them). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public WorkloadController(KubernetesClient client) {
        this.client = client;
    }

    /** The workload's state, or empty when it no longer exists. */
    public Optional<WorkloadState> inspect(WorkloadRef ref) {
        if (ref.apiVersion() == null || "Pod".equals(ref.kind())) {
            String reason = "Pod".equals(ref.kind()) ? "a bare Pod cannot be suspended without deleting it"
                    : "the API version of " + ref.kind() + " is unknown";
            return Optional.of(new WorkloadState(ref, null, null, false, null, false, Optional.empty(), reason, false));
        }
        try {
            if (isBatch(ref)) {
                HasMetadata workload = batch(ref).get();
                if (workload == null) {
                    return Optional.empty();
                }
                boolean suspended = Boolean.TRUE.equals(workload instanceof Job job ? job.getSpec().getSuspend()
                        : ((CronJob) workload).getSpec().getSuspend());
                return Optional.of(state(ref, workload.getMetadata(), RestoreRecord.Mode.Suspend, suspended, null));
            }
            Resource<GenericKubernetesResource> resource = generic(ref);
            GenericKubernetesResource workload = resource.get();
            if (workload == null) {
                return Optional.empty();
            }
            Scale scale = resource.scale();
            if (scale == null || scale.getSpec() == null) {
                return Optional.of(new WorkloadState(ref, workload.getMetadata().getUid(), null, false, null,
                        exempt(workload.getMetadata()),
                        RestoreRecord.read(workload.getMetadata().getAnnotations()),
                        ref.kind() + " has no /scale subresource and no spec.suspend", false));
            }
            int replicas = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
            return Optional.of(state(ref, workload.getMetadata(), RestoreRecord.Mode.ScaleToZero, replicas == 0,
                    replicas));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.of(new WorkloadState(ref, null, null, false, null, false, Optional.empty(),
                        ref.kind() + " has no /scale subresource and no spec.suspend", false));
            }
            throw e;
        }
    }

    /** Stops a workload and records what it was; returns the record. */
    public RestoreRecord stop(WorkloadState state, String owner, Instant now) {
        RestoreRecord record = new RestoreRecord(owner, now, state.mode(), state.replicas(), null);
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patch(state.ref(), record.toAnnotations(), true);
        } else {
            // the record first: a crash in between leaves a record on a running workload, never a silent stop
            patch(state.ref(), record.toAnnotations(), null);
            generic(state.ref()).scale(0);
        }
        LOG.infof("Stopped %s for %s (%s%s)", state.ref().describe(), owner, state.mode(),
                state.replicas() == null ? "" : ", " + state.replicas() + " replicas before");
        return record;
    }

    /**
     * Gives back what the record says and removes it. A workload a person already started again is left as it
     * is (its record only is removed).
     */
    public void restore(WorkloadState state) {
        RestoreRecord record = state.record().orElse(null);
        if (record == null) {
            return;
        }
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patch(state.ref(), null, false);
        } else {
            if (state.stopped() && record.replicasBefore() != null) {
                generic(state.ref()).scale(record.replicasBefore());
            }
            patch(state.ref(), null, null);
        }
        LOG.infof("Restored %s for %s (%s, %s)", state.ref().describe(), record.owner(), record.mode(),
                state.stopped() ? "replicas before: " + record.replicasBefore() : "already running again: record only");
    }

    /** Marks that a person started the workload again, so it is left alone until its record is cleared. */
    public void markResumedByUser(WorkloadState state, Instant now) {
        patch(state.ref(), state.record().orElseThrow().resumedByUser(now).toAnnotations(), null);
    }

    /** The Deployments, StatefulSets, Jobs and CronJobs of a namespace that carry a record of {@code owner}. */
    public java.util.List<WorkloadRef> recordedBy(String namespace, String owner) {
        java.util.List<WorkloadRef> refs = new java.util.ArrayList<>();
        java.util.function.BiConsumer<HasMetadata, String> collect = (workload, apiVersion) ->
                RestoreRecord.read(workload.getMetadata().getAnnotations())
                        .filter(record -> owner.equals(record.owner()))
                        .ifPresent(record -> refs.add(new WorkloadRef(apiVersion, workload.getKind(), namespace,
                                workload.getMetadata().getName())));
        client.apps().deployments().inNamespace(namespace).list().getItems().forEach(w -> collect.accept(w, "apps/v1"));
        client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(w -> collect.accept(w, "apps/v1"));
        client.batch().v1().jobs().inNamespace(namespace).list().getItems().forEach(w -> collect.accept(w, "batch/v1"));
        client.batch().v1().cronjobs().inNamespace(namespace).list().getItems()
                .forEach(w -> collect.accept(w, "batch/v1"));
        return refs;
    }

    private WorkloadState state(WorkloadRef ref, ObjectMeta metadata, RestoreRecord.Mode mode, boolean stopped,
            Integer replicas) {
        return new WorkloadState(ref, metadata.getUid(), mode, stopped, replicas, exempt(metadata),
                RestoreRecord.read(metadata.getAnnotations()), null,
                metadata.getAnnotations() != null && "true".equals(metadata.getAnnotations().get(RestoreRecord.RESTORE)));
    }

    private static boolean exempt(ObjectMeta metadata) {
        return RestoreRecord.exempt(metadata.getLabels(), metadata.getAnnotations());
    }

    private static boolean isBatch(WorkloadRef ref) {
        return "batch/v1".equals(ref.apiVersion()) && ("Job".equals(ref.kind()) || "CronJob".equals(ref.kind()));
    }

    @SuppressWarnings("unchecked")
    private Resource<HasMetadata> batch(WorkloadRef ref) {
        Resource<?> resource = "Job".equals(ref.kind())
                ? client.batch().v1().jobs().inNamespace(ref.namespace()).withName(ref.name())
                : client.batch().v1().cronjobs().inNamespace(ref.namespace()).withName(ref.name());
        return (Resource<HasMetadata>) resource;
    }

    private Resource<GenericKubernetesResource> generic(WorkloadRef ref) {
        return client.genericKubernetesResources(ref.apiVersion(), ref.kind()).inNamespace(ref.namespace())
                .withName(ref.name());
    }

    /**
     * Writes {@code record} as the workload's record annotations (removes them when null, with a restore request)
     * and, for Jobs and CronJobs, {@code spec.suspend} when not null. One JSON merge patch without a
     * resourceVersion: it touches only these fields, so it never conflicts with the controllers that keep
     * updating the workload's status.
     */
    private void patch(WorkloadRef ref, Map<String, String> record, Boolean suspend) {
        Map<String, Object> annotations = new HashMap<>();
        RestoreRecord.KEYS.forEach(key -> annotations.put(key, null));
        if (record == null) {
            annotations.put(RestoreRecord.RESTORE, null);
        } else {
            annotations.putAll(record);
        }
        Map<String, Object> patch = new HashMap<>();
        patch.put("metadata", Map.of("annotations", annotations));
        if (suspend != null) {
            patch.put("spec", Map.of("suspend", suspend));
        }
        String json;
        try {
            json = JSON.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        if (isBatch(ref)) {
            batch(ref).patch(merge, json);
        } else {
            generic(ref).patch(merge, json);
        }
    }
}
