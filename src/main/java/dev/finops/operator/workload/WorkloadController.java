package dev.finops.operator.workload;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.PodOwner;
import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Stops and restores workloads, reversibly, the one mechanism budgets and idle scale-down share, by the row of
 * their kind in {@link WorkloadKind}: a suspend field set to true (Jobs, CronJobs, Kubeflow jobs, TrainJobs,
 * JobSets, RayJobs, RayClusters), zero replicas through {@code /scale} (Deployments, StatefulSets, ReplicaSets,
 * LeaderWorkerSets and any kind with one), or, for what Kueue admits, {@code spec.active: false} on its Kueue
 * Workload. Each action leaves a {@link RestoreRecord} on the workload, so a restore gives back exactly what was
 * there, after an operator restart too. A pod leads to a workload only through its verified owner chain.
 */
@ApplicationScoped
public class WorkloadController implements WorkloadActions {

    private static final Logger LOG = Logger.getLogger(WorkloadController.class);
    /** The most records of one owner followed in one search. */
    static final int MAX_RECORDED = 500;

    private final RecordedWorkloads recorded;
    private final ApiObjects objects;
    private final OwnerChain chain;
    private final KueueWorkloads kueue;
    private final WorkloadInspector inspector;
    private final WorkloadPatches patches;

    public WorkloadController(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    @Inject
    public WorkloadController(KubernetesClient client, Clock clock) {
        this.recorded = new RecordedWorkloads(client, clock);
        this.objects = new ApiObjects(client);
        this.chain = new OwnerChain(objects);
        this.kueue = new KueueWorkloads(client);
        this.inspector = new WorkloadInspector(objects, kueue, new RecordOwners(client, clock));
        this.patches = new WorkloadPatches(objects);
    }

    @Override
    public Optional<WorkloadState> inspect(WorkloadRef ref) {
        return inspector.inspect(ref);
    }

    /**
     * The pod's top-level workload by its verified owner chain: from the pod as the informer holds it (its labels
     * and controller reference; the live pod only for one mapped without them), then live owners. The pod itself
     * (CannotStop, saying why, on inspect) when it has no owner or a link of its chain does not hold.
     */
    @Override
    public WorkloadRef workloadOf(GpuPod pod) {
        WorkloadRef self = new WorkloadRef("v1", "Pod", pod.namespace(), pod.name());
        if ("Pod".equals(pod.workload().kind())) {
            return self;
        }
        OwnerChain.Resolution resolution;
        try {
            HasMetadata claims = pod.controller() != null ? asPod(pod) : objects.read(self).object();
            if (claims == null) {
                return self; // gone
            }
            resolution = chain.resolve(claims);
        } catch (KubernetesClientException e) {
            // an owner that could not be read (a timeout, a 5xx): this pod's outcome for this pass, never the pass's
            inspector.unverified(self, "the owner chain of pod " + pod.name() + " could not be read ("
                    + e.getMessage() + "); tried again next pass");
            return self;
        }
        inspector.unverified(self, resolution.unverified());
        if (!resolution.verified()) {
            LOG.warnf("Pod %s/%s: %s", pod.namespace(), pod.name(), resolution.unverified());
            return self;
        }
        return resolution.workload() != null ? resolution.workload() : self;
    }

    /** The pod as far as its owner chain needs: identity, labels and its controller reference. */
    private static Pod asPod(GpuPod pod) {
        PodOwner owner = pod.controller();
        return new PodBuilder().withNewMetadata().withNamespace(pod.namespace()).withName(pod.name())
                .withUid(pod.uid()).withLabels(pod.labels()).addNewOwnerReference().withApiVersion(owner.apiVersion())
                .withKind(owner.kind()).withName(owner.name()).withUid(owner.uid()).withController(true)
                .endOwnerReference().endMetadata().build();
    }

    /**
     * Stops a workload and records what it was; returns the record. The record is written only if the workload
     * is still what {@code state} read (its resourceVersion): a stop racing another writer (a budget, another
     * pool, a person scaling) fails with 409 instead of overwriting a record or recording stale replicas.
     */
    @Override
    public RestoreRecord stop(WorkloadState state, String owner, Instant now) {
        RestoreRecord record = new RestoreRecord(owner, now, state.mode(), state.replicas(), null, state.uid());
        WorkloadRef ref = state.ref();
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patches.patch(ref, record.toAnnotations(), suspendPath(ref), true, state.resourceVersion());
        } else {
            // the record first: a crash in between leaves a record on a running workload, never a silent stop
            patches.patch(ref, record.toAnnotations(), null, null, state.resourceVersion());
            try {
                if (state.mode() == RestoreRecord.Mode.Deactivate) {
                    kueue.setActive(ref, state.kueueWorkload(), false);
                } else {
                    patches.scale(ref, 0);
                }
            } catch (KubernetesClientException e) {
                // not stopped after all (no rights, an admission webhook): no record may claim it is
                patches.patch(ref, null, null, null, null);
                throw e;
            }
        }
        LOG.infof("Stopped %s for %s (%s%s)", ref.describe(), owner, state.mode(),
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
        giveBack(state, record, giveBack, null);
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
        giveBack(state, record, true, bound(record, state).resumedByUser(now));
        LOG.infof("Woke %s for a person (%s, replicas before: %s); %s's record stays, marked", state.ref().describe(),
                record.mode(), record.replicasBefore(), record.owner());
    }

    /**
     * Gives back what {@code record} stopped (when {@code giveBack}) and writes {@code keep} as the record (none
     * when null). A suspend field goes back in the same patch; replicas and a Kueue Workload first.
     */
    private void giveBack(WorkloadState state, RestoreRecord record, boolean giveBack, RestoreRecord keep) {
        WorkloadRef ref = state.ref();
        var annotations = keep == null ? null : keep.toAnnotations();
        if (state.mode() == RestoreRecord.Mode.Suspend) {
            patches.patch(ref, annotations, suspendPath(ref), giveBack ? false : null, null);
            return;
        }
        if (giveBack && state.mode() == RestoreRecord.Mode.Deactivate && state.kueueWorkload() != null) {
            kueue.setActive(ref, state.kueueWorkload(), true);
        } else if (giveBack && state.mode() == RestoreRecord.Mode.ScaleToZero && record.replicasBefore() != null) {
            patches.scale(ref, record.replicasBefore());
        }
        patches.patch(ref, annotations, null, null, null);
    }

    /** Marks that a person started the workload again, so it is left alone until its record is cleared. */
    @Override
    public void markResumedByUser(WorkloadState state, Instant now) {
        patches.patch(state.ref(), bound(state.record().orElseThrow(), state).resumedByUser(now).toAnnotations(), null,
                null, null);
    }

    @Override
    public Optional<WorkloadRef> cronJobOf(WorkloadRef job) {
        if (!"Job".equals(job.kind()) || !"batch/v1".equals(job.apiVersion())) {
            return Optional.empty();
        }
        ApiObjects.Read read = objects.read(job);
        if (!read.found()) {
            return Optional.empty();
        }
        List<OwnerReference> owners = read.object().getMetadata().getOwnerReferences();
        return owners == null ? Optional.empty() : owners.stream().filter(o -> "CronJob".equals(o.getKind())
                && Boolean.TRUE.equals(o.getController()) && cronJobOwns(job, o))
                .findFirst().map(o -> new WorkloadRef("batch/v1", "CronJob", job.namespace(), o.getName()));
    }

    /** The CronJob a Job names exists with that uid (a Job cannot get a schedule it does not belong to stopped). */
    private boolean cronJobOwns(WorkloadRef job, OwnerReference owner) {
        ApiObjects.Read cron = objects.read("batch/v1", "CronJob", job.namespace(), owner.getName());
        return cron.found() && owner.getUid() != null && owner.getUid().equals(cron.object().getMetadata().getUid());
    }

    /**
     * The workloads anywhere (empty {@code namespace}) that carry a record of {@code owner}, from the informers on
     * the record's label (no list per pass).
     */
    @Override
    public List<WorkloadRef> recordedBy(Optional<String> namespace, String owner) {
        List<WorkloadRef> found = recorded.recordedBy(namespace, owner);
        if (found.size() <= MAX_RECORDED) {
            return found;
        }
        // records are anyone's to write who may edit a workload: a flood of them must not grow the owner's status
        LOG.warnf("%d workloads in %s carry a record of %s; only the first %d (by namespace and name) are followed",
                found.size(), namespace.orElse("all namespaces"), owner, MAX_RECORDED);
        return found.stream().sorted(Comparator.comparing(WorkloadRef::namespace).thenComparing(WorkloadRef::kind)
                .thenComparing(WorkloadRef::name)).limit(MAX_RECORDED).toList();
    }

    @PreDestroy
    void stopWatchingRecords() {
        recorded.close();
    }

    /** A record of the previous version (no uid), rewritten in the new form: bound to the workload's uid. */
    private static RestoreRecord bound(RestoreRecord record, WorkloadState state) {
        return record.uid() != null ? record : new RestoreRecord(record.owner(), record.at(), record.mode(),
                record.replicasBefore(), record.resumedByUserAt(), state.uid());
    }

    /** The suspend field of the workload's kind ({@code spec.suspend} for a kind outside the table). */
    private static List<String> suspendPath(WorkloadRef ref) {
        return WorkloadKind.of(ref).map(WorkloadKind::suspendPath).filter(path -> path != null)
                .orElse(List.of("spec", "suspend"));
    }
}
