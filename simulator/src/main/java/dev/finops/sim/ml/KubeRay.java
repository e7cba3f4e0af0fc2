package dev.finops.sim.ml;

/** Names KubeRay v1.5.0 uses (ray-operator/controllers/ray/utils/constant.go, apis/ray/v1). */
final class KubeRay {

    static final String CLUSTER_LABEL = "ray.io/cluster";
    static final String NODE_TYPE_LABEL = "ray.io/node-type";
    static final String GROUP_LABEL = "ray.io/group";
    static final String IS_RAY_NODE_LABEL = "ray.io/is-ray-node";
    static final String IDENTIFIER_LABEL = "ray.io/identifier";
    static final String ORIGINATED_FROM_CR_NAME_LABEL = "ray.io/originated-from-cr-name";
    static final String ORIGINATED_FROM_CRD_LABEL = "ray.io/originated-from-crd";
    static final String APP_NAME_LABEL = "app.kubernetes.io/name";
    static final String CREATED_BY_LABEL = "app.kubernetes.io/created-by";
    static final String HEAD_GROUP = "headgroup";
    /** RayCluster {@code status.state} values. */
    static final String STATE_READY = "ready";
    static final String STATE_SUSPENDED = "suspended";

    private KubeRay() {
    }
}
