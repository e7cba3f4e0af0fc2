package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GPU node of the simulated cluster, described the way a real cloud node looks to Kubernetes: the labels
 * Karpenter / EKS / GKE and NVIDIA's GPU Feature Discovery put on it, and its GPUs as extended resources,
 * whole ({@code nvidia.com/gpu}), time-sliced (each GPU advertised {@code replicas} times) or MIG-partitioned
 * ({@code nvidia.com/mig-<profile>}). {@link #toNode()} gives the Node object to create; kwok then plays its
 * kubelet. The GPU layout is written so that {@link NodeGpuLayout#of(Node)} reads the same layout back.
 */
public final class SimulatedGpuNode {

    /** The taint real GPU node pools carry so that only pods that ask for GPUs land there. */
    public static final Taint GPU_TAINT = new TaintBuilder()
            .withKey(SimulatorLabels.GPU_RESOURCE).withValue("true").withEffect("NoSchedule").build();

    /** Cluster API's label naming the MachineDeployment a node belongs to. */
    public static final String CLUSTER_API_DEPLOYMENT = "cluster.x-k8s.io/deployment-name";

    private final String name;
    private final GpuInstanceType instanceType;
    private final CapacityType capacityType;
    private final String nodePool;
    private final String zone;
    private final int timeSlicingReplicas;
    private final Map<MigProfile, Integer> migGpus;
    private final Map<String, String> extraLabels;
    private final String scenario;
    private final int maxPods;
    private final String clusterApiDeployment;

    private SimulatedGpuNode(Builder b) {
        this.name = b.name;
        this.instanceType = Objects.requireNonNull(b.instanceType, "instanceType");
        this.capacityType = b.capacityType;
        this.nodePool = b.nodePool;
        this.zone = b.zone != null ? b.zone : instanceType.cloud().zone(Math.abs(b.name.hashCode()));
        this.timeSlicingReplicas = b.timeSlicingReplicas;
        this.migGpus = Map.copyOf(b.migGpus);
        this.extraLabels = Map.copyOf(b.extraLabels);
        this.scenario = b.scenario;
        this.maxPods = b.maxPods;
        this.clusterApiDeployment = b.clusterApiDeployment;
        int partitioned = migGpus.values().stream().mapToInt(Integer::intValue).sum();
        if (partitioned > instanceType.gpus()) {
            throw new IllegalArgumentException(name + ": " + partitioned + " MIG GPUs but " + instanceType.apiName()
                    + " has " + instanceType.gpus());
        }
        if (partitioned > 0 && !instanceType.gpu().migCapable()) {
            throw new IllegalArgumentException(name + ": " + instanceType.gpu() + " has no MIG");
        }
        if (partitioned > 0 && timeSlicingReplicas > 1) {
            throw new IllegalArgumentException(name + ": MIG and time-slicing together are not simulated");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public GpuInstanceType instanceType() {
        return instanceType;
    }

    public CapacityType capacityType() {
        return capacityType;
    }

    public String nodePool() {
        return nodePool;
    }

    /** Physical GPUs advertised whole (possibly time-sliced), i.e. not MIG-partitioned. */
    public int wholeGpus() {
        return instanceType.gpus() - migGpus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The extended resources this node offers pods: resource name to count. */
    public Map<String, Integer> gpuResources() {
        Map<String, Integer> resources = new LinkedHashMap<>();
        int whole = wholeGpus() * timeSlicingReplicas;
        if (whole > 0) {
            resources.put(SimulatorLabels.GPU_RESOURCE, whole);
        }
        migGpus.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(NodeGpuLayout.MIG_ORDER))
                .forEach(e -> resources.put(e.getKey().resourceName(),
                        e.getValue() * e.getKey().instancesPerGpu(instanceType.gpu().migMemoryGb())));
        return resources;
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("type", "kwok");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/os", "linux");
        labels.put(SimulatorLabels.HOSTNAME, name);
        labels.put(SimulatorLabels.INSTANCE_TYPE, instanceType.apiName());
        labels.put(SimulatorLabels.REGION, instanceType.cloud().region());
        labels.put(SimulatorLabels.ZONE, zone);
        switch (instanceType.cloud()) {
            case AWS -> {
                if (clusterApiDeployment == null) {
                    labels.put(SimulatorLabels.KARPENTER_CAPACITY_TYPE, capacityType.karpenterValue());
                    if (nodePool != null) {
                        labels.put(SimulatorLabels.KARPENTER_NODEPOOL, nodePool);
                    }
                }
                labels.put(SimulatorLabels.EKS_CAPACITY_TYPE, capacityType.eksValue());
            }
            case GCP -> {
                if (capacityType == CapacityType.SPOT) {
                    labels.put(SimulatorLabels.GKE_SPOT, "true");
                }
                if (nodePool != null) {
                    labels.put(SimulatorLabels.GKE_NODEPOOL, nodePool);
                }
                labels.put(SimulatorLabels.GKE_ACCELERATOR,
                        "nvidia-" + instanceType.gpu().productLabel().replaceFirst("^NVIDIA-", "").toLowerCase());
            }
        }
        GpuModel gpu = instanceType.gpu();
        labels.put(SimulatorLabels.GPU_PRESENT, "true");
        labels.put(SimulatorLabels.GPU_PRODUCT, gpu.productLabel());
        labels.put(SimulatorLabels.GPU_COUNT, Integer.toString(instanceType.gpus()));
        labels.put(SimulatorLabels.GPU_MEMORY, Integer.toString(gpu.memoryMiB()));
        if (timeSlicingReplicas > 1) {
            labels.put(SimulatorLabels.GPU_REPLICAS, Integer.toString(timeSlicingReplicas));
            labels.put(SimulatorLabels.GPU_SHARING_STRATEGY, "time-slicing");
        }
        if (gpu.migCapable()) {
            labels.put(SimulatorLabels.MIG_CAPABLE, "true");
        }
        if (!migGpus.isEmpty()) {
            labels.put(SimulatorLabels.MIG_STRATEGY, "mixed");
            gpuResources().forEach((resource, count) -> {
                if (resource.startsWith(MigProfile.RESOURCE_PREFIX)) {
                    labels.put(resource + ".count", Integer.toString(count));
                }
            });
        }
        if (clusterApiDeployment != null) {
            labels.put(CLUSTER_API_DEPLOYMENT, clusterApiDeployment);
        }
        labels.put(SimulatorLabels.SIMULATED, "true");
        if (scenario != null) {
            labels.put(SimulatorLabels.SCENARIO, scenario);
        }
        labels.putAll(extraLabels);
        return labels;
    }

    /** A one-line summary for scenario event lines. */
    public String describe() {
        StringBuilder gpus = new StringBuilder();
        gpuResources().forEach((r, n) -> gpus.append(gpus.length() == 0 ? "" : " + ").append(n).append("x ").append(r));
        String pool = clusterApiDeployment != null ? "MachineDeployment " + clusterApiDeployment
                : nodePool != null ? "pool " + nodePool : "no pool";
        return "node " + name + " (" + instanceType.apiName() + ", " + capacityType.karpenterValue() + ", " + pool
                + ", " + gpus + (timeSlicingReplicas > 1 ? ", time-sliced x" + timeSlicingReplicas : "") + ")";
    }

    /** The Node to create. Its status (capacity, allocatable) is only accepted on create. */
    public Node toNode() {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(instanceType.vcpus())));
        capacity.put("memory", new Quantity(instanceType.memoryGiB() + "Gi"));
        capacity.put("ephemeral-storage", new Quantity("500Gi"));
        capacity.put("pods", new Quantity(Integer.toString(maxPods)));
        gpuResources().forEach((resource, count) -> capacity.put(resource, new Quantity(Integer.toString(count))));
        Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
        // What the kubelet keeps for itself, roughly as EKS's bootstrap reserves it.
        allocatable.put("cpu", new Quantity((instanceType.vcpus() * 1000 - 100 - 10L * instanceType.vcpus()) + "m"));
        allocatable.put("memory", new Quantity((instanceType.memoryGiB() * 1024L * 94 / 100) + "Mi"));

        List<Taint> taints = new ArrayList<>();
        taints.add(GPU_TAINT);
        return new NodeBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withLabels(labels())
                    .addToAnnotations(SimulatorLabels.KWOK_NODE_ANNOTATION, "fake")
                    .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .addToAnnotations(SimulatorLabels.GPU_MODEL_NAME_ANNOTATION, instanceType.gpu().modelName())
                .endMetadata()
                .withNewSpec()
                    .withTaints(taints)
                    .withProviderID(providerId())
                .endSpec()
                .withNewStatus()
                    .withCapacity(capacity)
                    .withAllocatable(allocatable)
                    .withNewNodeInfo()
                        .withArchitecture("amd64")
                        .withOperatingSystem("linux")
                        .withOsImage("simulated (kwok)")
                        .withKubeletVersion("fake")
                        .withKubeProxyVersion("fake")
                        .withContainerRuntimeVersion("fake")
                    .endNodeInfo()
                .endStatus()
                .build();
    }

    private String providerId() {
        return switch (instanceType.cloud()) {
            case AWS -> "aws:///" + zone + "/i-" + String.format("%017x", name.hashCode() & 0xffffffffL);
            case GCP -> "gce://simulated-project/" + zone + "/" + name;
        };
    }

    /** Fluent construction; defaults: on-demand, no node pool, whole GPUs, zone from the name. */
    public static final class Builder {
        private final String name;
        private GpuInstanceType instanceType;
        private CapacityType capacityType = CapacityType.ON_DEMAND;
        private String nodePool;
        private String zone;
        private int timeSlicingReplicas = 1;
        private final Map<MigProfile, Integer> migGpus = new LinkedHashMap<>();
        private final Map<String, String> extraLabels = new LinkedHashMap<>();
        private String scenario;
        private int maxPods = 110;
        private String clusterApiDeployment;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder instanceType(GpuInstanceType instanceType) {
            this.instanceType = instanceType;
            return this;
        }

        public Builder capacityType(CapacityType capacityType) {
            this.capacityType = Objects.requireNonNull(capacityType);
            return this;
        }

        public Builder spot() {
            return capacityType(CapacityType.SPOT);
        }

        public Builder onDemand() {
            return capacityType(CapacityType.ON_DEMAND);
        }

        public Builder reserved() {
            return capacityType(CapacityType.RESERVED);
        }

        /** Karpenter NodePool (AWS) or GKE node pool (GCP) the node belongs to. */
        public Builder nodePool(String nodePool) {
            this.nodePool = nodePool;
            return this;
        }

        public Builder zone(String zone) {
            this.zone = zone;
            return this;
        }

        /** Time-slicing: every whole GPU is advertised {@code replicas} times, shared by that many pods. */
        public Builder timeSliced(int replicas) {
            if (replicas < 1) {
                throw new IllegalArgumentException("replicas must be >= 1");
            }
            this.timeSlicingReplicas = replicas;
            return this;
        }

        /** Partitions {@code gpus} of the node's GPUs into as many instances of {@code profile} as fit. */
        public Builder mig(String profile, int gpus) {
            migGpus.merge(MigProfile.parse(profile), gpus, Integer::sum);
            return this;
        }

        /**
         * The node belongs to a Cluster API MachineDeployment (label {@value #CLUSTER_API_DEPLOYMENT}) rather
         * than to a Karpenter NodePool: on AWS it then carries EKS's capacity-type label but not Karpenter's.
         */
        public Builder clusterApi(String machineDeployment) {
            this.clusterApiDeployment = machineDeployment;
            return this;
        }

        public Builder label(String key, String value) {
            extraLabels.put(key, value);
            return this;
        }

        public Builder scenario(String scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder maxPods(int maxPods) {
            this.maxPods = maxPods;
            return this;
        }

        public SimulatedGpuNode build() {
            return new SimulatedGpuNode(this);
        }
    }
}
