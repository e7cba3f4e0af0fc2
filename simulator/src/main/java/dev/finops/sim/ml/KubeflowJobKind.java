package dev.finops.sim.ml;

import java.util.Set;

/**
 * The Kubeflow Training Operator v1 (v1.8.1) job kinds the simulator plays, one row each: where the replica
 * specs are, the controller's name (it labels every pod with it), and which replica takes the master role
 * (each kind's {@code IsMasterRole} in pkg/controller.v1/&lt;kind&gt;).
 */
public enum KubeflowJobKind {

    PYTORCH_JOB("PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs", "pytorchjob-controller", Set.of("Master"), true),
    TF_JOB("TFJob", "tfjobs", "tfReplicaSpecs", "tfjob-controller", Set.of("Chief", "Master"), true),
    XGBOOST_JOB("XGBoostJob", "xgboostjobs", "xgbReplicaSpecs", "xgboostjob-controller", Set.of("Master"), false),
    PADDLE_JOB("PaddleJob", "paddlejobs", "paddleReplicaSpecs", "paddlejob-controller", Set.of("Master"), false);

    public static final String GROUP = "kubeflow.org";
    public static final String API_VERSION = GROUP + "/v1";
    /** The labels v1.8.1 puts on each pod (pkg/apis/kubeflow.org/v1/common_types.go). */
    public static final String OPERATOR_NAME_LABEL = "training.kubeflow.org/operator-name";
    public static final String JOB_NAME_LABEL = "training.kubeflow.org/job-name";
    public static final String REPLICA_TYPE_LABEL = "training.kubeflow.org/replica-type";
    public static final String REPLICA_INDEX_LABEL = "training.kubeflow.org/replica-index";
    public static final String JOB_ROLE_LABEL = "training.kubeflow.org/job-role";

    private final String kind;
    private final String plural;
    private final String replicaSpecsField;
    private final String controllerName;
    private final Set<String> masterTypes;
    private final boolean workerZeroIsMasterWithoutOne;

    KubeflowJobKind(String kind, String plural, String replicaSpecsField, String controllerName,
            Set<String> masterTypes, boolean workerZeroIsMasterWithoutOne) {
        this.kind = kind;
        this.plural = plural;
        this.replicaSpecsField = replicaSpecsField;
        this.controllerName = controllerName;
        this.masterTypes = masterTypes;
        this.workerZeroIsMasterWithoutOne = workerZeroIsMasterWithoutOne;
    }

    public String kind() {
        return kind;
    }

    String replicaSpecsField() {
        return replicaSpecsField;
    }

    String controllerName() {
        return controllerName;
    }

    CustomKind customKind() {
        return new CustomKind(GROUP, "v1", kind, plural);
    }

    /** Whether the pod of {@code replicaType} and {@code index} gets {@code job-role: master}. */
    boolean isMaster(Set<String> replicaTypes, String replicaType, int index) {
        if (replicaTypes.stream().anyMatch(masterTypes::contains)) {
            return masterTypes.contains(replicaType);
        }
        return workerZeroIsMasterWithoutOne && "Worker".equals(replicaType) && index == 0;
    }
}
