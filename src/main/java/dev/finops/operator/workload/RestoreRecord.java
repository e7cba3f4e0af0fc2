package dev.finops.operator.workload;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator wrote on a workload when it suspended it, so that anyone (the operator after a restart,
 * or a person with kubectl) can see who suspended it, when, and what to give back. Bound to the workload's
 * {@code uid}: a record copied onto another object (KubeRay copies a RayJob's annotations onto its RayCluster) or
 * written by hand for another one is not this workload's. Records of the previous version have no uid and are
 * honoured as they are.
 */
public record RestoreRecord(String owner, Instant at, Mode mode, Integer replicasBefore, Instant resumedByUserAt,
        String uid) {

    /** A record not bound to a uid (as the previous version wrote them). */
    public RestoreRecord(String owner, Instant at, Mode mode, Integer replicasBefore, Instant resumedByUserAt) {
        this(owner, at, mode, replicasBefore, resumedByUserAt, null);
    }

    public static final String PREFIX = "finops.dev/";
    public static final String SUSPENDED_BY = PREFIX + "suspended-by";
    public static final String SUSPENDED_AT = PREFIX + "suspended-at";
    public static final String MODE = PREFIX + "suspend-mode";
    public static final String REPLICAS_BEFORE = PREFIX + "replicas-before";
    public static final String RESUMED_BY_USER = PREFIX + "resumed-by-user-at";
    /** The uid of the workload the record was written on. */
    public static final String SUSPENDED_UID = PREFIX + "suspended-uid";
    /** More replicas than any workload this operator stopped would have: a record saying so is nonsense. */
    public static final int MAX_REPLICAS_BEFORE = 10_000;
    /** On a workload a person wants back: restore what the record says. */
    public static final String RESTORE = PREFIX + "restore";
    /** On a workload (label or annotation): never act on it. */
    public static final String EXEMPT = PREFIX + "exempt";

    /**
     * The label next to the record: what the operator stopped can be listed with a label selector (the record
     * itself is in annotations, which no selector reaches). {@code kubectl get deploy -A -l finops.dev/suspended}
     */
    public static final String LABEL = PREFIX + "suspended";

    /** Every annotation a record consists of. */
    public static final List<String> KEYS = List.of(SUSPENDED_BY, SUSPENDED_AT, MODE,
            REPLICAS_BEFORE, RESUMED_BY_USER, SUSPENDED_UID);

    /** How the workload was stopped. */
    public enum Mode {
        /** Its kind's suspend field set to true (spec.suspend, spec.runPolicy.suspend: {@link WorkloadKind}). */
        Suspend,
        /** replicas 0 through /scale (Deployments, StatefulSets, LeaderWorkerSets, anything scalable). */
        ScaleToZero,
        /** Admitted by Kueue: its Kueue Workload's spec.active set to false (the record stays on the job). */
        Deactivate
    }

    /** A record as read from annotations: the record, or why the annotations there are not one. */
    public record Parsed(Optional<RestoreRecord> record, String problem) {

        static Parsed none() {
            return new Parsed(Optional.empty(), null);
        }

        static Parsed nonsense(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }

    /** The record in {@code annotations}; empty when there is none or it is nonsense ({@link #parse} says why). */
    public static Optional<RestoreRecord> read(Map<String, String> annotations) {
        return parse(annotations).record();
    }

    /**
     * Reads a record, refusing what the operator never writes: a timestamp, mode or replica count that does not
     * parse, negative replicas or more than {@link #MAX_REPLICAS_BEFORE}. Such a record is ignored (and reported),
     * never acted on: a workload editor could otherwise have it scaled to any size.
     */
    public static Parsed parse(Map<String, String> annotations) {
        if (annotations == null || !annotations.containsKey(SUSPENDED_BY)) {
            return Parsed.none();
        }
        String owner = annotations.get(SUSPENDED_BY);
        if (owner == null || owner.isBlank()) {
            return Parsed.nonsense(SUSPENDED_BY + " is empty");
        }
        try {
            String replicas = annotations.get(REPLICAS_BEFORE);
            String resumed = annotations.get(RESUMED_BY_USER);
            Integer before = replicas == null ? null : Integer.valueOf(replicas.strip());
            if (before != null && (before < 0 || before > MAX_REPLICAS_BEFORE)) {
                return Parsed.nonsense(REPLICAS_BEFORE + " is " + before + ", outside 0.." + MAX_REPLICAS_BEFORE);
            }
            return new Parsed(Optional.of(new RestoreRecord(owner, Instant.parse(annotations.get(SUSPENDED_AT)),
                    Mode.valueOf(annotations.get(MODE)), before, resumed == null ? null : Instant.parse(resumed),
                    annotations.get(SUSPENDED_UID))), null);
        } catch (RuntimeException e) {
            return Parsed.nonsense("the record of " + owner + " does not parse (" + SUSPENDED_AT + ": "
                    + annotations.get(SUSPENDED_AT) + ", " + MODE + ": " + annotations.get(MODE) + ", "
                    + REPLICAS_BEFORE + ": " + annotations.get(REPLICAS_BEFORE) + ")");
        }
    }

    public Map<String, String> toAnnotations() {
        Map<String, String> annotations = new HashMap<>();
        annotations.put(SUSPENDED_BY, owner);
        annotations.put(SUSPENDED_AT, at.toString());
        annotations.put(MODE, mode.name());
        if (replicasBefore != null) {
            annotations.put(REPLICAS_BEFORE, replicasBefore.toString());
        }
        if (resumedByUserAt != null) {
            annotations.put(RESUMED_BY_USER, resumedByUserAt.toString());
        }
        if (uid != null) {
            annotations.put(SUSPENDED_UID, uid);
        }
        return annotations;
    }

    public RestoreRecord resumedByUser(Instant when) {
        return new RestoreRecord(owner, at, mode, replicasBefore, when, uid);
    }

    /** The same record giving back {@code replicas} (the owner's own copy, when the two disagree). */
    public RestoreRecord withReplicasBefore(Integer replicas) {
        return new RestoreRecord(owner, at, mode, replicas, resumedByUserAt, uid);
    }

    /** Whether it was written on the object with {@code workloadUid}; a record of the previous version (no uid) is. */
    public boolean boundTo(String workloadUid) {
        return uid == null || uid.equals(workloadUid);
    }

    public static boolean exempt(Map<String, String> labels, Map<String, String> annotations) {
        return "true".equals(labels == null ? null : labels.get(EXEMPT))
                || "true".equals(annotations == null ? null : annotations.get(EXEMPT));
    }
}
