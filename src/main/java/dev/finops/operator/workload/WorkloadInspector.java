package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads a workload's {@link WorkloadState} by its row of the kinds table: how it stops, whether it is stopped,
 * its record, and why it cannot be stopped when it cannot (a kind no CRD serves, a refused read, a RayJob KubeRay
 * would fail for good, a pod whose owners do not hold). Never throws for one of those: each is that workload's
 * CannotStop.
 */
final class WorkloadInspector {

    private final ApiObjects objects;
    private final KueueWorkloads kueue;
    private final RecordOwners owners;
    private static final Logger LOG = Logger.getLogger(WorkloadInspector.class);
    /** Bounded: pods that claim owners they do not belong to are any tenant's to create. */
    static final int REMEMBERED = 1024;
    private final Map<WorkloadRef, String> unverified = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<WorkloadRef, String> eldest) {
                    return size() > REMEMBERED;
                }
            });

    WorkloadInspector(ApiObjects objects, KueueWorkloads kueue, RecordOwners owners) {
        this.objects = objects;
        this.owners = owners;
        this.kueue = kueue;
    }

    Optional<WorkloadState> inspect(WorkloadRef ref) {
        if (ref.apiVersion() == null) {
            return Optional.of(WorkloadState.unreadable(ref, "the API version of " + ref.kind() + " is unknown"));
        }
        if ("Pod".equals(ref.kind())) {
            return pod(ref);
        }
        ApiObjects.Read read = objects.read(ref);
        if (read.unavailable() != null) {
            return Optional.of(WorkloadState.unreadable(ref, read.unavailable()));
        }
        if (!read.found()) {
            return Optional.empty();
        }
        GenericKubernetesResource workload = read.object();
        WorkloadState.Builder state = base(ref, workload.getMetadata());
        Optional<WorkloadKind> row = WorkloadKind.of(ref);
        return Optional.of(row.isPresent() ? known(row.get(), workload, state) : scalable(ref, state));
    }

    private WorkloadState known(WorkloadKind row, GenericKubernetesResource workload, WorkloadState.Builder state) {
        if (row.stop() == WorkloadKind.Stop.NONE) {
            return state.cannotStop(row.kind() + " has no /scale subresource and no suspend field (it runs one pod "
                    + "on each node it selects)").build();
        }
        Optional<String> refusal = row.refusal(path -> field(workload, path));
        if (refusal.isPresent()) {
            return state.cannotStop(refusal.get()).build();
        }
        if (row.kueueManaged() && KueueWorkloads.queued(workload)) {
            KueueWorkloads.Found found = kueue.find(workload);
            if (found.unavailable() != null) {
                return state.cannotStop(found.unavailable()).build();
            }
            if (!found.notServed()) {
                return state.throughKueue(found.name(), found.active()).build();
            }
        }
        if (row.stop() == WorkloadKind.Stop.SUSPEND) {
            return state.suspendable(Boolean.TRUE.equals(field(workload, row.suspendPath()))).build();
        }
        Object replicas = field(workload, List.of("spec", "replicas"));
        // what its /scale would say, read from the object already fetched; absent: the API server's default
        return state.scalable(replicas instanceof Number number ? number.intValue() : 1).build();
    }

    /** A kind outside the table: stopped through its /scale when it has one. */
    private WorkloadState scalable(WorkloadRef ref, WorkloadState.Builder state) {
        try {
            Scale scale = objects.resource(ref).scale();
            if (scale == null || scale.getSpec() == null) {
                return state.cannotStop(noWayToStop(ref)).build();
            }
            return state.scalable(scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas()).build();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return state.cannotStop(noWayToStop(ref)).build();
            }
            if (e.getCode() == 403) {
                return state.cannotStop(WorkloadPatches.refused(ref, "get", e).getMessage()).build();
            }
            throw e;
        }
    }

    /**
     * A pod as a workload: never stopped. Why, from the last resolution of its owner chain that did not hold; a
     * pod with none is a bare Pod (its chain, when it has one, led to the workload that is stopped instead).
     */
    private Optional<WorkloadState> pod(WorkloadRef ref) {
        String why = unverified.get(ref);
        return Optional.of(WorkloadState.unreadable(ref, why != null ? why
                : "a bare Pod cannot be suspended without deleting it"));
    }

    /** Remembers why a pod's owner chain did not hold, for its state (the last {@link #REMEMBERED} pods). */
    void unverified(WorkloadRef pod, String why) {
        if (why == null) {
            unverified.remove(pod);
        } else {
            unverified.put(pod, why);
        }
    }

    static String noWayToStop(WorkloadRef ref) {
        return ref.kind() + " has no /scale subresource and no spec.suspend";
    }

    /**
     * What every kind's state has: identity, exemption, the record and a person's restore request. The record
     * only when it holds: parsed (nonsense is ignored), written for this object (its uid), by an owner that
     * exists; whatever was ignored is said in {@link WorkloadState#recordProblem()}.
     */
    private WorkloadState.Builder base(WorkloadRef ref, ObjectMeta metadata) {
        Map<String, String> annotations = metadata.getAnnotations();
        RestoreRecord.Parsed parsed = RestoreRecord.parse(annotations);
        RestoreRecord record = parsed.record().orElse(null);
        String problem = parsed.problem();
        if (record != null && !record.boundTo(metadata.getUid())) {
            problem = "the restore record of " + record.owner() + " on it was written for another object (uid "
                    + record.uid() + ", not " + metadata.getUid() + ")";
            record = null;
        } else if (record != null && !owners.exists(record.owner(), ref.namespace())) {
            problem = "the restore record on it names " + record.owner() + ", which does not exist";
            record = null;
        }
        if (problem != null) {
            LOG.warnf("%s: %s; the record is ignored", ref.describe(), problem);
        }
        return WorkloadState.builder(ref).read(metadata.getUid(), metadata.getResourceVersion())
                .exempt(RestoreRecord.exempt(metadata.getLabels(), annotations))
                .record(record)
                .recordProblem(problem == null ? null : problem + "; ignored")
                .restoreRequested(annotations != null && "true".equals(annotations.get(RestoreRecord.RESTORE)));
    }

    static Object field(GenericKubernetesResource object, List<String> path) {
        Object value = object.getAdditionalProperties();
        for (String step : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(step);
        }
        return value;
    }
}
