package dev.finops.operator.workload;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the operator wrote on a workload when it suspended it, so that anyone (the operator after a restart,
 * or a person with kubectl) can see who suspended it, when, and what to give back.
 */
public record RestoreRecord(String owner, Instant at, Mode mode, Integer replicasBefore, Instant resumedByUserAt) {

    public static final String PREFIX = "finops.dev/";
    public static final String SUSPENDED_BY = PREFIX + "suspended-by";
    public static final String SUSPENDED_AT = PREFIX + "suspended-at";
    public static final String MODE = PREFIX + "suspend-mode";
    public static final String REPLICAS_BEFORE = PREFIX + "replicas-before";
    public static final String RESUMED_BY_USER = PREFIX + "resumed-by-user-at";
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
            REPLICAS_BEFORE, RESUMED_BY_USER);

    /** How the workload was stopped. */
    public enum Mode {
        /** Its kind's suspend field set to true (spec.suspend, spec.runPolicy.suspend: {@link WorkloadKind}). */
        Suspend,
        /** replicas 0 through /scale (Deployments, StatefulSets, LeaderWorkerSets, anything scalable). */
        ScaleToZero,
        /** Admitted by Kueue: its Kueue Workload's spec.active set to false (the record stays on the job). */
        Deactivate
    }

    public static Optional<RestoreRecord> read(Map<String, String> annotations) {
        if (annotations == null || !annotations.containsKey(SUSPENDED_BY)) {
            return Optional.empty();
        }
        try {
            String replicas = annotations.get(REPLICAS_BEFORE);
            String resumed = annotations.get(RESUMED_BY_USER);
            return Optional.of(new RestoreRecord(annotations.get(SUSPENDED_BY),
                    Instant.parse(annotations.get(SUSPENDED_AT)), Mode.valueOf(annotations.get(MODE)),
                    replicas == null ? null : Integer.valueOf(replicas),
                    resumed == null ? null : Instant.parse(resumed)));
        } catch (RuntimeException e) {
            // a record someone edited into nonsense: treat as ours but with nothing to give back
            return Optional.of(new RestoreRecord(annotations.get(SUSPENDED_BY), Instant.EPOCH, Mode.Suspend, null, null));
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
        return annotations;
    }

    public RestoreRecord resumedByUser(Instant when) {
        return new RestoreRecord(owner, at, mode, replicasBefore, when);
    }

    public static boolean exempt(Map<String, String> labels, Map<String, String> annotations) {
        return "true".equals(labels == null ? null : labels.get(EXEMPT))
                || "true".equals(annotations == null ? null : annotations.get(EXEMPT));
    }
}
