package dev.finops.operator.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
public class WorkloadController implements WorkloadActions {

    private static final Logger LOG = Logger.getLogger(WorkloadController.class);
    /** Plain Jackson: a merge patch needs its nulls (fabric8's serialization drops them). */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final RecordedWorkloads recorded;

    public WorkloadController(KubernetesClient client) {
        this.client = client;
        this.recorded = new RecordedWorkloads(client);
    }

    @Override
    public Optional<WorkloadState> inspect(WorkloadRef ref) {
        if (ref.apiVersion() == null || "Pod".equals(ref.kind())) {
            return Optional.of(WorkloadState.unreadable(ref, "Pod".equals(ref.kind())
                    ? "a bare Pod cannot be suspended without deleting it"
                    : "the API version of " + ref.kind() + " is unknown"));
        }
        try {
            if (isBatch(ref)) {
                HasMetadata workload = batch(ref).get();
                if (workload == null) {
                    return Optional.empty();
                }
                boolean suspended = Boolean.TRUE.equals(workload instanceof Job job ? job.getSpec().getSuspend()
                        : ((CronJob) workload).getSpec().getSuspend());
                return Optional.of(read(ref, workload.getMetadata()).suspendable(suspended).build());
            }
            Resource<GenericKubernetesResource> resource = generic(ref);
            GenericKubernetesResource workload = resource.get();
            if (workload == null) {
                return Optional.empty();
            }
            Integer replicas = appsReplicas(ref, workload);
            if (replicas != null) {
                return Optional.of(read(ref, workload.getMetadata()).scalable(replicas).build());
            }
            Scale scale = resource.scale();
            if (scale == null || scale.getSpec() == null) {
                return Optional.of(read(ref, workload.getMetadata()).cannotStop(noWayToStop(ref)).build());
            }
            int scaled = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
            return Optional.of(read(ref, workload.getMetadata()).scalable(scaled).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.of(WorkloadState.unreadable(ref, noWayToStop(ref)));
            }
            throw e;
        }
    }

    /**
     * Stops a workload and records what it was; returns the record. The record is written only if the workload
     * is still what {@code state} read (its resourceVersion): a stop racing another writer (a budget, another
     * pool, a person scaling) fails with 409 instead of overwriting a record or recording stale replicas.
     */
    @Override
    public RestoreRecord stop(WorkloadState state, String owner, Instant now) {
        RestoreRecord record = new RestoreRecord(owner, now, state.mode(), state.replicas(), null);
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patch(state.ref(), record.toAnnotations(), true, state.resourceVersion());
        } else {
            // the record first: a crash in between leaves a record on a running workload, never a silent stop
            patch(state.ref(), record.toAnnotations(), null, state.resourceVersion());
            try {
                generic(state.ref()).scale(0);
            } catch (KubernetesClientException e) {
                // not stopped after all (no /scale rights, an admission webhook): no record may claim it is
                patch(state.ref(), null, null, null);
                throw e;
            }
        }
        LOG.infof("Stopped %s for %s (%s%s)", state.ref().describe(), owner, state.mode(),
                state.replicas() == null ? "" : ", " + state.replicas() + " replicas before");
        return record;
    }

    /**
     * Gives back what the record says and removes it. A workload a person already started again is left as it
     * is (its record only is removed).
     */
    @Override
    public void restore(WorkloadState state) {
        RestoreRecord record = state.record().orElse(null);
        if (record == null) {
            return;
        }
        // a workload a person woke up and then stopped again themselves stays as they left it
        boolean giveBack = state.stopped() && record.resumedByUserAt() == null;
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patch(state.ref(), null, giveBack ? false : null, null);
        } else {
            if (giveBack && record.replicasBefore() != null) {
                generic(state.ref()).scale(record.replicasBefore());
            }
            patch(state.ref(), null, null, null);
        }
        LOG.infof("Restored %s for %s (%s, %s)", state.ref().describe(), record.owner(), record.mode(),
                giveBack ? "replicas before: " + record.replicasBefore() : "left as a person set it: record only");
    }

    /**
     * Gives back first and marks the record after: a crash in between leaves a running workload whose restore
     * request is still there, which the next pass marks as woken.
     */
    @Override
    public void wake(WorkloadState state, Instant now) {
        RestoreRecord record = state.record().orElseThrow();
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patch(state.ref(), record.resumedByUser(now).toAnnotations(), false, null);
        } else {
            if (record.replicasBefore() != null) {
                generic(state.ref()).scale(record.replicasBefore());
            }
            patch(state.ref(), record.resumedByUser(now).toAnnotations(), null, null);
        }
        LOG.infof("Woke %s for a person (%s, replicas before: %s); %s's record stays, marked", state.ref().describe(),
                record.mode(), record.replicasBefore(), record.owner());
    }

    /** Marks that a person started the workload again, so it is left alone until its record is cleared. */
    @Override
    public void markResumedByUser(WorkloadState state, Instant now) {
        patch(state.ref(), state.record().orElseThrow().resumedByUser(now).toAnnotations(), null, null);
    }

    @Override
    public Optional<WorkloadRef> cronJobOf(WorkloadRef job) {
        if (!"Job".equals(job.kind())) {
            return Optional.empty();
        }
        Job found = client.batch().v1().jobs().inNamespace(job.namespace()).withName(job.name()).get();
        List<OwnerReference> owners = found == null ? List.of() : found.getMetadata().getOwnerReferences();
        return owners.stream().filter(o -> "CronJob".equals(o.getKind())).findFirst()
                .map(o -> new WorkloadRef("batch/v1", "CronJob", job.namespace(), o.getName()));
    }

    /**
     * The Deployments, StatefulSets, Jobs and CronJobs anywhere (empty {@code namespace}) that carry a record of
     * {@code owner}, from the informers on the record's label (no list per pass).
     */
    @Override
    public List<WorkloadRef> recordedBy(Optional<String> namespace, String owner) {
        return recorded.recordedBy(namespace, owner);
    }

    @PreDestroy
    void stopWatchingRecords() {
        recorded.close();
    }

    /** What every kind's state has: identity, exemption, the record and a person's restore request. */
    private static WorkloadState.Builder read(WorkloadRef ref, ObjectMeta metadata) {
        Map<String, String> annotations = metadata.getAnnotations();
        return WorkloadState.builder(ref).read(metadata.getUid(), metadata.getResourceVersion())
                .exempt(exempt(metadata))
                .record(RestoreRecord.read(annotations).orElse(null))
                .restoreRequested(annotations != null && "true".equals(annotations.get(RestoreRecord.RESTORE)));
    }

    private static String noWayToStop(WorkloadRef ref) {
        return ref.kind() + " has no /scale subresource and no spec.suspend";
    }

    private static boolean exempt(ObjectMeta metadata) {
        return RestoreRecord.exempt(metadata.getLabels(), metadata.getAnnotations());
    }

    /**
     * The replicas of a Deployment, StatefulSet or ReplicaSet, read from the object already fetched (what its
     * /scale would say, one GET saved on every pass); null for other kinds, whose /scale is asked.
     */
    private static Integer appsReplicas(WorkloadRef ref, GenericKubernetesResource workload) {
        if (!"apps/v1".equals(ref.apiVersion()) || !List.of("Deployment", "StatefulSet", "ReplicaSet")
                .contains(ref.kind())) {
            return null;
        }
        Object replicas = workload.get("spec", "replicas");
        return replicas instanceof Number number ? number.intValue() : 1; // the API server's default
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
     * Writes {@code record} as the workload's record (annotations and label; removes them when null) and clears
     * any restore request; for Jobs and CronJobs also {@code spec.suspend} when not null. One JSON merge patch
     * that touches only these fields, so it never conflicts with the controllers updating the workload's status;
     * with {@code resourceVersion}, only if the workload has not changed since it was read.
     */
    private void patch(WorkloadRef ref, Map<String, String> record, Boolean suspend, String resourceVersion) {
        Map<String, Object> annotations = new HashMap<>();
        RestoreRecord.KEYS.forEach(key -> annotations.put(key, null));
        annotations.put(RestoreRecord.RESTORE, null);
        if (record != null) {
            annotations.putAll(record);
        }
        Map<String, Object> labels = new HashMap<>();
        labels.put(RestoreRecord.LABEL, record == null ? null : "true");
        Map<String, Object> metadata = new HashMap<>(Map.of("annotations", annotations, "labels", labels));
        if (resourceVersion != null) {
            metadata.put("resourceVersion", resourceVersion);
        }
        Map<String, Object> patch = new HashMap<>(Map.of("metadata", metadata));
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
