package dev.finops.operator.workload;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The workload mechanism budgets and pools share: read a workload's state, stop it with a restore record, give
 * back what a record says. Errors are the API server's ({@code KubernetesClientException}: 409 when the
 * workload changed since it was read, 403 when the operator may not change it).
 */
public interface WorkloadActions {

    /** The workload's state, or empty when it no longer exists. */
    Optional<WorkloadState> inspect(WorkloadRef ref);

    /**
     * The top-level workload a pod really belongs to, to inspect and act on instead of what the pod claims: its
     * owner chain followed through live objects, each link verified (the owner exists with the uid the reference
     * names and selects its child). A pod with no owner, or whose chain does not hold, is its own ref (kind Pod):
     * inspecting it gives CannotStop with the reason, so a pod that claims a foreign owner is still charged but
     * never gets that owner stopped. The default trusts the pod's own claim (for fakes).
     */
    default WorkloadRef workloadOf(GpuPod pod) {
        return new WorkloadRef(pod.workloadApiVersion(), pod.workload().kind(), pod.namespace(), pod.workload().name());
    }

    /**
     * Stops the workload and records what it was; returns the record. Only if it is still what {@code state}
     * read (its resourceVersion): a stop racing another writer fails with 409 instead of overwriting anything.
     */
    RestoreRecord stop(WorkloadState state, String owner, Instant now);

    /** Gives back what the record says and removes it; a workload a person already started again keeps as it is. */
    void restore(WorkloadState state);

    /**
     * A person asked for a stopped workload back while its owner still wants it stopped: gives back the recorded
     * replicas (or spec.suspend) and keeps the record, marked as woken by a person at {@code now}.
     */
    void wake(WorkloadState state, Instant now);

    /** Marks in the record that a person started the workload again at {@code now}. */
    void markResumedByUser(WorkloadState state, Instant now);

    /** The workloads in {@code namespace} (anywhere when empty) that carry a record of {@code owner}. */
    List<WorkloadRef> recordedBy(Optional<String> namespace, String owner);

    default List<WorkloadRef> recordedBy(String namespace, String owner) {
        return recordedBy(Optional.of(namespace), owner);
    }

    /** The CronJob that owns a Job, if any. */
    Optional<WorkloadRef> cronJobOf(WorkloadRef job);
}
