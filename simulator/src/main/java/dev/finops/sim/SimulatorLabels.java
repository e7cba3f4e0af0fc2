package dev.finops.sim;

/**
 * The label and annotation keys the simulator writes or reads. The real-world ones (Kubernetes, Karpenter,
 * EKS, GKE, NVIDIA GPU Feature Discovery, kwok) are what the operator must understand; the
 * {@code sim.finops.dev/} ones only let the simulator find its own objects again.
 */
public final class SimulatorLabels {

    /** On every node and workload the simulator creates; the metrics endpoint serves only such nodes. */
    public static final String SIMULATED = "sim.finops.dev/simulated";
    /** Names the scenario (demo, scale, a test) that created an object, so it can clean up after itself. */
    public static final String SCENARIO = "sim.finops.dev/scenario";
    /** On pod templates: the workload a pod belongs to, the key of its utilisation profile. */
    public static final String WORKLOAD = "sim.finops.dev/workload";

    /** On a batch/v1 Job: the Kueue LocalQueue it is submitted to (Kueue then owns its spec.suspend). */
    public static final String KUEUE_QUEUE_NAME = "kueue.x-k8s.io/queue-name";

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
    public static final String REGION = "topology.kubernetes.io/region";
    public static final String ZONE = "topology.kubernetes.io/zone";

    public static final String KARPENTER_CAPACITY_TYPE = "karpenter.sh/capacity-type";
    public static final String KARPENTER_NODEPOOL = "karpenter.sh/nodepool";
    /** The taint Karpenter puts on a node it is about to take away (spot interruption, consolidation). */
    public static final String KARPENTER_DISRUPTED_TAINT = "karpenter.sh/disrupted";
    public static final String EKS_CAPACITY_TYPE = "eks.amazonaws.com/capacityType";
    public static final String GKE_SPOT = "cloud.google.com/gke-spot";
    public static final String GKE_NODEPOOL = "cloud.google.com/gke-nodepool";
    public static final String GKE_ACCELERATOR = "cloud.google.com/gke-accelerator";

    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String GPU_PRESENT = "nvidia.com/gpu.present";
    public static final String GPU_PRODUCT = "nvidia.com/gpu.product";
    public static final String GPU_COUNT = "nvidia.com/gpu.count";
    public static final String GPU_MEMORY = "nvidia.com/gpu.memory";
    /** GPU Feature Discovery's label for time-slicing: each physical GPU is advertised this many times. */
    public static final String GPU_REPLICAS = "nvidia.com/gpu.replicas";
    public static final String GPU_SHARING_STRATEGY = "nvidia.com/gpu.sharing-strategy";
    public static final String MIG_STRATEGY = "nvidia.com/mig.strategy";
    public static final String MIG_CAPABLE = "nvidia.com/mig.capable";
    /** Overrides the DCGM {@code modelName} of a node's GPUs when its product label is not in {@link GpuModel}. */
    public static final String GPU_MODEL_NAME_ANNOTATION = "sim.finops.dev/gpu-model-name";

    /** Hands a node to kwok (hack/local-cluster.sh runs kwok with this annotation selector). */
    public static final String KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";
    /** kwok's pod-complete stage: how long a Job's pod runs before it Succeeds (Go duration). */
    public static final String KWOK_COMPLETE_DELAY = "pod-complete.stage.kwok.x-k8s.io/delay";
    /** Upper bound of kwok's random extra delay; set equal to the delay for an exact run time. */
    public static final String KWOK_COMPLETE_JITTER = "pod-complete.stage.kwok.x-k8s.io/jitter-delay";

    private SimulatorLabels() {
    }
}
