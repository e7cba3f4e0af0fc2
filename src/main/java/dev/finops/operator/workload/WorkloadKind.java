package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The workload kinds the operator stops and restores, one row each: which API serves it, how it stops (a
 * {@code suspend} field at a path, or zero replicas through {@code /scale}), how the objects it creates show that
 * they are its own (for the verified owner chain), and which chart value grants the rights on it. A new kind is one
 * row. A kind not in the table is stopped through {@code /scale} when it has one, and is otherwise CannotStop.
 */
public enum WorkloadKind {

    DEPLOYMENT("apps", "v1", "Deployment", "deployments", Stop.SCALE, null, Family.CORE, Selects.SELECTOR),
    STATEFUL_SET("apps", "v1", "StatefulSet", "statefulsets", Stop.SCALE, null, Family.CORE, Selects.SELECTOR),
    REPLICA_SET("apps", "v1", "ReplicaSet", "replicasets", Stop.SCALE, null, Family.CORE, Selects.SELECTOR),
    DAEMON_SET("apps", "v1", "DaemonSet", "daemonsets", Stop.NONE, null, Family.CORE, Selects.SELECTOR),
    /** Its pods: its selector (the API server defaults it) or, without one, the job-name label its controller writes. */
    JOB("batch", "v1", "Job", "jobs", Stop.SUSPEND, List.of("spec", "suspend"), Family.CORE,
            Selects.selectorOr("batch.kubernetes.io/job-name")),
    /** Its Jobs stay Jobs (the budget stops both: the running Job and the schedule that would start the next). */
    CRON_JOB("batch", "v1", "CronJob", "cronjobs", Stop.SUSPEND, List.of("spec", "suspend"), Family.CORE,
            Selects.NOT_A_PARENT),
    PYTORCH_JOB(kubeflow("PyTorchJob", "pytorchjobs")),
    TF_JOB(kubeflow("TFJob", "tfjobs")),
    MPI_JOB(kubeflow("MPIJob", "mpijobs")),
    XGBOOST_JOB(kubeflow("XGBoostJob", "xgboostjobs")),
    PADDLE_JOB(kubeflow("PaddleJob", "paddlejobs")),
    JAX_JOB(kubeflow("JAXJob", "jaxjobs")),
    /** Kubeflow Trainer v2: it creates one JobSet of its own name. */
    TRAIN_JOB("trainer.kubeflow.org", "v1alpha1", "TrainJob", "trainjobs", Stop.SUSPEND, List.of("spec", "suspend"),
            Family.TRAINER, Selects.SAME_NAME),
    /** Its Jobs carry {@code jobset.sigs.k8s.io/jobset-name}. */
    JOB_SET("jobset.x-k8s.io", "v1alpha2", "JobSet", "jobsets", Stop.SUSPEND, List.of("spec", "suspend"),
            Family.JOBSET, Selects.label("jobset.sigs.k8s.io/jobset-name")),
    /** Its RayCluster and submitter Job carry {@code ray.io/originated-from-cr-name} (KubeRay v1.5.0 rayjob_controller). */
    RAY_JOB("ray.io", "v1", "RayJob", "rayjobs", Stop.SUSPEND, List.of("spec", "suspend"), Family.RAY,
            Selects.label("ray.io/originated-from-cr-name")),
    /** Its pods carry {@code ray.io/cluster} (KubeRay v1.5.0 common/pod.go, not overridable). */
    RAY_CLUSTER("ray.io", "v1", "RayCluster", "rayclusters", Stop.SUSPEND, List.of("spec", "suspend"), Family.RAY,
            Selects.label("ray.io/cluster")),
    /** Its StatefulSets (the leaders', and through the leader pods the workers') carry its name label. */
    LEADER_WORKER_SET("leaderworkerset.x-k8s.io", "v1", "LeaderWorkerSet", "leaderworkersets", Stop.SCALE, null,
            Family.LEADER_WORKER_SET, Selects.label("leaderworkerset.sigs.k8s.io/name"));

    /** How a kind is stopped. */
    public enum Stop {
        /** A boolean at {@link #suspendPath()} set to true, and back to false. */
        SUSPEND,
        /** Zero replicas through the {@code /scale} subresource, and back to the recorded count. */
        SCALE,
        /** No way that its controller would keep (a DaemonSet runs one pod per node). */
        NONE
    }

    /**
     * The chart value that grants the operator its rights on a family of kinds ({@code helm/.../values.yaml},
     * {@code rbac.*}), named in every refusal so that a person knows what to set.
     */
    public enum Family {
        CORE("rbac.workloadActions.enabled"),
        KUBEFLOW("rbac.kubeflow.enabled"),
        TRAINER("rbac.trainer.enabled"),
        JOBSET("rbac.jobset.enabled"),
        RAY("rbac.ray.enabled"),
        LEADER_WORKER_SET("rbac.leaderWorkerSet.enabled"),
        KUEUE("rbac.kueue.enabled");

        private final String chartValue;

        Family(String chartValue) {
            this.chartValue = chartValue;
        }

        public String chartValue() {
            return chartValue;
        }

        /** "grant patch on pytorchjobs.kubeflow.org: set rbac.kubeflow.enabled=true in the chart". */
        public String forbidden(String verb, String resource) {
            return "the operator may not " + verb + " " + resource + ": grant " + verb + " on " + resource
                    + " (set " + chartValue + "=true in the chart)";
        }
    }

    /**
     * How a kind's children (pods, or the objects it creates) show that they are its own, beyond the uid of their
     * owner reference: the checks of a verified owner chain.
     */
    public record Selects(Kind kind, String label) {

        public enum Kind { SELECTOR, LABEL, SAME_NAME, NOT_A_PARENT }

        static final Selects SELECTOR = new Selects(Kind.SELECTOR, null);
        static final Selects SAME_NAME = new Selects(Kind.SAME_NAME, null);
        static final Selects NOT_A_PARENT = new Selects(Kind.NOT_A_PARENT, null);

        static Selects label(String key) {
            return new Selects(Kind.LABEL, key);
        }

        /** Its label selector; when it has none, the name label {@code key} on the child. */
        static Selects selectorOr(String key) {
            return new Selects(Kind.SELECTOR, key);
        }
    }

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final Stop stop;
    private final List<String> suspendPath;
    private final Family family;
    private final Selects selects;

    WorkloadKind(String group, String version, String kind, String plural, Stop stop, List<String> suspendPath,
            Family family, Selects selects) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.stop = stop;
        this.suspendPath = suspendPath;
        this.family = family;
        this.selects = selects;
    }

    WorkloadKind(Row row) {
        this(row.group, row.version, row.kind, row.plural, row.stop, row.suspendPath, row.family, row.selects);
    }

    /** A Kubeflow training operator v1 job: {@code spec.runPolicy.suspend}, pods labelled with its name. */
    private static Row kubeflow(String kind, String plural) {
        return new Row("kubeflow.org", "v1", kind, plural, Stop.SUSPEND, List.of("spec", "runPolicy", "suspend"),
                Family.KUBEFLOW, Selects.label("training.kubeflow.org/job-name"));
    }

    private record Row(String group, String version, String kind, String plural, Stop stop, List<String> suspendPath,
            Family family, Selects selects) {
    }

    public static Optional<WorkloadKind> of(String apiVersion, String kind) {
        return Arrays.stream(values()).filter(row -> row.apiVersion().equals(apiVersion) && row.kind.equals(kind))
                .findFirst();
    }

    public static Optional<WorkloadKind> of(WorkloadRef ref) {
        return ref.apiVersion() == null ? Optional.empty() : of(ref.apiVersion(), ref.kind());
    }

    /** The row of a kind by name only, whatever its version (a pod's owner reference in another version). */
    static Optional<WorkloadKind> ofGroupKind(String apiVersion, String kind) {
        String group = apiVersion == null || !apiVersion.contains("/") ? "" : apiVersion.substring(0,
                apiVersion.indexOf('/'));
        return Arrays.stream(values()).filter(row -> row.group.equals(group) && row.kind.equals(kind)).findFirst();
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public Stop stop() {
        return stop;
    }

    /** The path of the boolean a SUSPEND kind is stopped by ({@code spec.runPolicy.suspend}); null otherwise. */
    public List<String> suspendPath() {
        return suspendPath;
    }

    public Family family() {
        return family;
    }

    Selects selects() {
        return selects;
    }

    /**
     * Kueue owns the suspend field of the jobs it admits (label {@code kueue.x-k8s.io/queue-name}) and undoes a
     * direct toggle: those are stopped through their Kueue Workload. Kinds stopped by replicas, and a CronJob's
     * schedule, are not Kueue's.
     */
    boolean kueueManaged() {
        return stop == Stop.SUSPEND && this != CRON_JOB;
    }

    /** {@code pytorchjobs.kubeflow.org}, as RBAC and {@code kubectl auth can-i} name it. */
    public String resource() {
        return plural + "." + group;
    }

    /** The field a SUSPEND kind is stopped by, dotted: {@code spec.runPolicy.suspend}. */
    public String suspendField() {
        return suspendPath == null ? null : String.join(".", suspendPath);
    }

    /** What the operator answers when the API server refuses {@code verb} on this kind (a 403). */
    public String forbidden(String verb) {
        return family.forbidden(verb, resource());
    }

    /**
     * Why a workload of this kind cannot be stopped although its kind can, read from the object; empty when it
     * can. KubeRay refuses to suspend a RayJob that keeps its cluster after it finishes or runs on a cluster it
     * selects: such a RayJob goes to a final ValidationFailed (KubeRay v1.5.0 utils/validation.go).
     */
    Optional<String> refusal(Function<List<String>, Object> field) {
        if (this != RAY_JOB) {
            return Optional.empty();
        }
        if (!Boolean.TRUE.equals(field.apply(List.of("spec", "shutdownAfterJobFinishes")))) {
            return Optional.of("KubeRay refuses to suspend a RayJob with shutdownAfterJobFinishes: false (it would "
                    + "fail it for good with ValidationFailed); set spec.shutdownAfterJobFinishes: true to let the "
                    + "budget suspend it");
        }
        Object selector = field.apply(List.of("spec", "clusterSelector"));
        if (selector instanceof Map<?, ?> map && !map.isEmpty()) {
            return Optional.of("KubeRay refuses to suspend a RayJob that runs on a selected RayCluster "
                    + "(spec.clusterSelector; it would fail it for good with ValidationFailed): stop that "
                    + "RayCluster instead");
        }
        return Optional.empty();
    }
}
