package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * A workload as the operator sees it: whether it can be stopped and how, whether it is stopped now, whether it
 * is exempt, whether a person asked for it back, and the restore record the operator left on it, if any.
 * {@code uid} and {@code resourceVersion} (what was read, so that a stop never acts on a workload that changed
 * since) are null when it could not be read. Built by name: {@link #builder(WorkloadRef)} or
 * {@link #unreadable(WorkloadRef, String)}.
 */
public final class WorkloadState {

    private final WorkloadRef ref;
    private final String uid;
    private final String resourceVersion;
    private final RestoreRecord.Mode mode;
    private final boolean stopped;
    private final Integer replicas;
    private final boolean exempt;
    private final Optional<RestoreRecord> record;
    private final String cannotStopReason;
    private final boolean restoreRequested;
    private final String kueueWorkload;
    private final String recordProblem;

    private WorkloadState(Builder builder) {
        this.ref = Objects.requireNonNull(builder.ref, "ref");
        this.uid = builder.uid;
        this.resourceVersion = builder.resourceVersion;
        this.mode = builder.mode;
        this.stopped = builder.stopped;
        this.replicas = builder.replicas;
        this.exempt = builder.exempt;
        this.record = Optional.ofNullable(builder.record);
        this.cannotStopReason = builder.cannotStopReason;
        this.restoreRequested = builder.restoreRequested;
        this.kueueWorkload = builder.kueueWorkload;
        this.recordProblem = builder.recordProblem;
    }

    public static Builder builder(WorkloadRef ref) {
        return new Builder(ref);
    }

    /** A workload the operator cannot stop and knows nothing else about (a bare Pod, an unknown API version). */
    public static WorkloadState unreadable(WorkloadRef ref, String why) {
        return builder(ref).cannotStop(why).build();
    }

    public WorkloadRef ref() {
        return ref;
    }

    public String uid() {
        return uid;
    }

    public String resourceVersion() {
        return resourceVersion;
    }

    /** How it is stopped: a suspend field, zero replicas or its Kueue Workload; null when it cannot be stopped. */
    public RestoreRecord.Mode mode() {
        return mode;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Its replicas now; null for the kinds stopped by a suspend field or through Kueue. */
    public Integer replicas() {
        return replicas;
    }

    public boolean exempt() {
        return exempt;
    }

    public Optional<RestoreRecord> record() {
        return record;
    }

    public String cannotStopReason() {
        return cannotStopReason;
    }

    /** It carries {@code finops.dev/restore: "true"}: a person wants it back. */
    public boolean restoreRequested() {
        return restoreRequested;
    }

    /** The Kueue Workload it is stopped through (mode Deactivate); null otherwise. */
    public String kueueWorkload() {
        return kueueWorkload;
    }

    /**
     * Why the record-like annotations on it were ignored (nonsense, written for another object, naming an owner
     * that does not exist), or why its record's replicas were replaced by the owner's copy; null when nothing was.
     * To report (status, Event), never to act on.
     */
    public String recordProblem() {
        return recordProblem;
    }

    /**
     * This state with the acting owner's own copy of what it stopped (its status entry's replicas before): when
     * the record on the workload says otherwise, the owner's copy is what a restore gives back, and the
     * disagreement is reported. A null copy (the owner kept none) changes nothing.
     */
    public WorkloadState withOwnersCopy(Integer replicasBefore) {
        RestoreRecord mine = record.orElse(null);
        if (replicasBefore == null || mine == null || mode != RestoreRecord.Mode.ScaleToZero
                || replicasBefore.equals(mine.replicasBefore())) {
            return this;
        }
        Builder copy = toBuilder().record(mine.withReplicasBefore(replicasBefore));
        copy.recordProblem = RestoreRecord.REPLICAS_BEFORE + " on the workload says " + mine.replicasBefore()
                + ", but " + mine.owner() + " recorded " + replicasBefore + " when it stopped it: " + replicasBefore
                + " is given back";
        return copy.build();
    }

    private Builder toBuilder() {
        Builder copy = new Builder(ref);
        copy.uid = uid;
        copy.resourceVersion = resourceVersion;
        copy.mode = mode;
        copy.stopped = stopped;
        copy.replicas = replicas;
        copy.exempt = exempt;
        copy.record = record.orElse(null);
        copy.cannotStopReason = cannotStopReason;
        copy.restoreRequested = restoreRequested;
        copy.kueueWorkload = kueueWorkload;
        copy.recordProblem = recordProblem;
        return copy;
    }

    public boolean stoppable() {
        return cannotStopReason == null;
    }

    /** The record on it, if {@code owner} wrote it. */
    public Optional<RestoreRecord> recordOf(String owner) {
        return record.filter(r -> owner.equals(r.owner()));
    }

    /**
     * The workload as an Event's involved object. With its uid, so that {@code kubectl describe} (which selects
     * Events by uid) shows the Event.
     */
    public HasMetadata eventTarget() {
        return new GenericKubernetesResourceBuilder().withApiVersion(ref.apiVersion()).withKind(ref.kind())
                .withNewMetadata().withNamespace(ref.namespace()).withName(ref.name()).withUid(uid).endMetadata()
                .build();
    }

    @Override
    public String toString() {
        return ref.describe() + (stopped ? " stopped" : " running") + record.map(r -> ", record of " + r.owner())
                .orElse("") + (exempt ? ", exempt" : "") + (restoreRequested ? ", restore requested" : "")
                + (cannotStopReason == null ? "" : ", cannot stop: " + cannotStopReason)
                + (recordProblem == null ? "" : ", record: " + recordProblem);
    }

    /** Names every part of a state; what is not set is absent (not stopped, not exempt, no record). */
    public static final class Builder {

        private final WorkloadRef ref;
        private String uid;
        private String resourceVersion;
        private RestoreRecord.Mode mode;
        private boolean stopped;
        private Integer replicas;
        private boolean exempt;
        private RestoreRecord record;
        private String cannotStopReason;
        private boolean restoreRequested;
        private String kueueWorkload;
        private String recordProblem;

        private Builder(WorkloadRef ref) {
            this.ref = ref;
        }

        /** What was read: its uid and the resourceVersion a stop is guarded by. */
        public Builder read(String uid, String resourceVersion) {
            this.uid = uid;
            this.resourceVersion = resourceVersion;
            return this;
        }

        /** Stopped through its kind's suspend field (spec.suspend, spec.runPolicy.suspend). */
        public Builder suspendable(boolean suspended) {
            this.mode = RestoreRecord.Mode.Suspend;
            this.stopped = suspended;
            this.replicas = null;
            return this;
        }

        /** Admitted by Kueue: stopped through its Kueue {@code workload} ({@code spec.active}, {@code active} now). */
        public Builder throughKueue(String workload, boolean active) {
            this.mode = RestoreRecord.Mode.Deactivate;
            this.stopped = !active;
            this.replicas = null;
            this.kueueWorkload = workload;
            return this;
        }

        /** Stopped through zero replicas; {@code replicas} now. */
        public Builder scalable(int replicas) {
            this.mode = RestoreRecord.Mode.ScaleToZero;
            this.stopped = replicas == 0;
            this.replicas = replicas;
            return this;
        }

        public Builder exempt(boolean exempt) {
            this.exempt = exempt;
            return this;
        }

        /** The restore record on it; null for none. */
        public Builder record(RestoreRecord record) {
            this.record = record;
            return this;
        }

        /** Why record annotations on it were ignored; null for none. */
        public Builder recordProblem(String problem) {
            this.recordProblem = problem;
            return this;
        }

        public Builder restoreRequested(boolean restoreRequested) {
            this.restoreRequested = restoreRequested;
            return this;
        }

        /** Why it cannot be stopped (no /scale and no spec.suspend, a bare Pod). */
        public Builder cannotStop(String why) {
            this.cannotStopReason = why;
            this.kueueWorkload = null;
            this.mode = null;
            this.stopped = false;
            this.replicas = null;
            return this;
        }

        public WorkloadState build() {
            return new WorkloadState(this);
        }
    }
}
