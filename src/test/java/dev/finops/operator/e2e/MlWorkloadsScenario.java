package dev.finops.operator.e2e;

import dev.finops.sim.GpuInstanceType;
import dev.finops.sim.GpuWorkload;
import dev.finops.sim.SimulatedCluster;
import dev.finops.sim.SimulatedGpuNode;
import dev.finops.sim.SimulatorLabels;
import dev.finops.sim.ml.MlControllers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Issue 16's ML workloads on the local cluster, with the simulator playing the Kubeflow training operator,
 * KubeRay and Kueue on their real CRDs: GPU nodes, a namespace, and builders for a PyTorchJob, a RayJob, a
 * Job queued to Kueue, a pod owned by a kind with no CRD and a pod that claims an owner it does not belong
 * to. The budget E2E of issue 16 runs the operator beside it.
 */
public final class MlWorkloadsScenario implements AutoCloseable {

    public static final String SCENARIO = "ml-workloads";

    private final KubernetesClient client;
    private final SimulatedCluster cluster;
    private final String namespace;
    private final MlControllers controllers;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private MlWorkloadsScenario(LocalCluster local, String namespace, int gpuNodes) {
        this.client = local.client();
        this.cluster = new SimulatedCluster(client);
        this.namespace = namespace;
        MlCrds.install(client, MlCrds.PYTORCHJOBS, MlCrds.RAYJOBS, MlCrds.RAYCLUSTERS, MlCrds.KUEUE_WORKLOADS);
        for (int i = 0; i < gpuNodes; i++) {
            cluster.createNode(SimulatedGpuNode.builder(namespace + "-gpu-" + i).instanceType(GpuInstanceType.P4D_24XLARGE)
                    .onDemand().nodePool("gpu-on-demand").scenario(SCENARIO).build());
        }
        local.namespace(namespace);
        this.controllers = MlControllers.start(client, Clock.systemUTC(), line -> {
            lines.add(line);
            System.out.println("[sim] " + line);
        });
    }

    /** CRDs installed, {@code gpuNodes} 8-GPU p4d nodes, the namespace, and the simulated controllers running. */
    public static MlWorkloadsScenario start(LocalCluster local, String namespace, int gpuNodes) {
        return new MlWorkloadsScenario(local, namespace, gpuNodes);
    }

    public MlControllers controllers() {
        return controllers;
    }

    /** A PyTorchJob of one master and {@code replicas - 1} workers, {@code gpus} each. */
    public GpuWorkload pyTorchJob(String name, int replicas, int gpus, Map<String, String> labels) {
        return apply(GpuWorkload.pyTorchJob(namespace, name).replicas(replicas).gpus(gpus).labels(labels));
    }

    /** A RayJob whose RayCluster has a CPU head and {@code workers} GPU workers of {@code gpus} each. */
    public GpuWorkload rayJob(String name, int workers, int gpus, Map<String, String> labels) {
        return apply(GpuWorkload.rayJob(namespace, name).replicas(workers).gpus(gpus).labels(labels));
    }

    /** A Job of {@code pods} pods submitted to Kueue's LocalQueue {@code queue}; its pods run an hour. */
    public GpuWorkload queuedJob(String name, String queue, int pods, int gpus, Map<String, String> labels) {
        return apply(GpuWorkload.job(namespace, name).queue(queue).replicas(pods).gpus(gpus)
                .runFor(java.time.Duration.ofHours(1)).labels(labels));
    }

    private GpuWorkload apply(GpuWorkload.Builder builder) {
        GpuWorkload workload = builder.scenario(SCENARIO).build();
        cluster.apply(workload);
        return workload;
    }

    /** The pods of a workload the simulator created ({@link SimulatorLabels#WORKLOAD}), terminating ones too. */
    public List<Pod> podsOf(String workload) {
        return client.pods().inNamespace(namespace).withLabel(SimulatorLabels.WORKLOAD, workload).list().getItems();
    }

    /** A GPU pod whose controller is an object of a kind no CRD serves ({@code notebooks.example.com}). */
    public Pod podOwnedByUnknownKind(String name, Map<String, String> labels) {
        return createPod(name, labels, new OwnerReferenceBuilder().withApiVersion("example.com/v1").withKind("Notebook")
                .withName(name).withUid(UUID.randomUUID().toString()).withController(true).build());
    }

    /**
     * A GPU pod that names {@code owner} (its real uid) as its controller, though the owner's selector or job
     * name does not select it: it must be charged, and must never make anyone stop {@code owner}.
     */
    public Pod podClaiming(HasMetadata owner, String name, Map<String, String> labels) {
        return createPod(name, labels, new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind()).withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).build());
    }

    private Pod createPod(String name, Map<String, String> labels, io.fabric8.kubernetes.api.model.OwnerReference owner) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
                    .addToLabels(SimulatorLabels.WORKLOAD, name).addToLabels(SimulatorLabels.SIMULATED, "true")
                    .withOwnerReferences(owner)
                .endMetadata()
                .withNewSpec()
                    .withTerminationGracePeriodSeconds(5L)
                    .addNewContainer().withName("main").withImage("registry.example/" + name + ":sim")
                        .withNewResources().addToRequests(SimulatorLabels.GPU_RESOURCE, new Quantity("1"))
                            .addToLimits(SimulatorLabels.GPU_RESOURCE, new Quantity("1")).endResources()
                    .endContainer()
                    .addNewToleration().withKey(SimulatorLabels.GPU_RESOURCE).withOperator("Exists")
                        .withEffect("NoSchedule").endToleration()
                    .withNodeSelector(Map.of(SimulatorLabels.GPU_PRESENT, "true"))
                .endSpec()
                .build();
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    /** What the simulated controllers did, one line per action. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        controllers.close();
        for (String node : cluster.nodesOf(SCENARIO)) {
            cluster.removeNode(node);
        }
        client.namespaces().withName(namespace).delete();
    }
}
