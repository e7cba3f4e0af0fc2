package dev.finops.operator.model;

/** A top-level workload (Deployment, StatefulSet, Job, CronJob, or a bare Pod) in a namespace. */
public record WorkloadKey(String kind, String name) implements Comparable<WorkloadKey> {

    @Override
    public int compareTo(WorkloadKey other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }
}
