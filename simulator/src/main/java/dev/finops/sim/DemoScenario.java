package dev.finops.sim;

import static dev.finops.sim.SimulatorLabels.GPU_PRODUCT;
import static dev.finops.sim.SimulatorLabels.INSTANCE_TYPE;
import static dev.finops.sim.SimulatorLabels.KARPENTER_CAPACITY_TYPE;
import static dev.finops.sim.SimulatorLabels.KARPENTER_NODEPOOL;

import dev.finops.sim.ml.MlControllers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo cluster behind {@code hack/demo.sh}: against {@code $KUBECONFIG}, ten GPU nodes (two Karpenter
 * NodePools {@code gpu-spot} / {@code gpu-on-demand} as in deploy/samples/gpupool-karpenter.yaml, one of them
 * a reserved MIG-partitioned p5; two Cluster API inference nodes, one time-sliced, as in
 * gpupool-cluster-api.yaml; one GKE spot L4), workloads for each sample budget, a clearly idle notebook,
 * Jobs that finish while new ones start every minute, a spot interruption every five minutes, and (when the
 * Kubeflow and Kueue CRDs are installed) a PyTorchJob and a Kueue-admitted Job ({@link DemoMlWorkloads}) whose
 * controllers the simulator plays ({@link MlControllers}). Serves
 * DCGM metrics, prints one line per event, runs until killed (or {@code --duration}). Re-running against
 * a cluster that holds an earlier run's objects replaces them.
 *
 * <pre>
 * java -cp ... dev.finops.sim.DemoScenario [--port 9400] [--duration SECONDS] [--clean]
 * </pre>
 *
 * Budgets in deploy/samples have no namespace; apply them into the namespaces below (hack/demo.sh does):
 * {@code llm-sweep-42} into {@value #ML_RESEARCH}, {@code vision-team-monthly} into {@value #VISION},
 * {@code recsys-weekly-dry-run} into {@value #RECSYS}.
 */
public final class DemoScenario {

    public static final String SCENARIO = "demo";
    public static final String ML_RESEARCH = "ml-research";
    public static final String VISION = "vision";
    public static final String RECSYS = "recsys";
    public static final List<String> NAMESPACES = List.of(ML_RESEARCH, VISION, RECSYS);

    static final String SPOT_POOL = "gpu-spot";
    static final String ON_DEMAND_POOL = "gpu-on-demand";
    private static final String A100 = GpuModel.A100_SXM4_40GB.productLabel();
    private static final String A10G = GpuModel.A10G.productLabel();

    /** Spot nodes interrupted in turn, one every {@link #INTERRUPTION_PERIOD}. */
    private static final List<String> INTERRUPTIBLE = List.of("gpu-spot-p4d-a", "gpu-spot-g5-a", "gpu-spot-p4d-b");
    static final Duration INTERRUPTION_PERIOD = Duration.ofMinutes(5);

    private final GpuClusterSimulator sim;
    /** The PyTorchJob and Kueue Job ({@link DemoMlWorkloads}) whose simulated controllers run. */
    private final List<GpuWorkload> mlWorkloads;

    DemoScenario(GpuClusterSimulator sim) {
        this(sim, List.of());
    }

    DemoScenario(GpuClusterSimulator sim, List<GpuWorkload> mlWorkloads) {
        this.sim = sim;
        this.mlWorkloads = List.copyOf(mlWorkloads);
    }

    /** The nodes the demo starts with. */
    static List<SimulatedGpuNode> baseNodes() {
        return List.of(
                node("gpu-spot-p4d-a").instanceType(GpuInstanceType.P4D_24XLARGE).spot().nodePool(SPOT_POOL)
                        .zone("us-east-1a").build(),
                node("gpu-spot-p4d-b").instanceType(GpuInstanceType.P4D_24XLARGE).spot().nodePool(SPOT_POOL)
                        .zone("us-east-1b").build(),
                node("gpu-spot-g5-a").instanceType(GpuInstanceType.G5_12XLARGE).spot().nodePool(SPOT_POOL)
                        .zone("us-east-1a").build(),
                node("gpu-od-p4d-a").instanceType(GpuInstanceType.P4D_24XLARGE).onDemand().nodePool(ON_DEMAND_POOL)
                        .zone("us-east-1a").build(),
                node("gpu-od-g5-a").instanceType(GpuInstanceType.G5_XLARGE).onDemand().nodePool(ON_DEMAND_POOL)
                        .zone("us-east-1b").build(),
                node("gpu-od-g5-b").instanceType(GpuInstanceType.G5_12XLARGE).onDemand().nodePool(ON_DEMAND_POOL)
                        .zone("us-east-1c").build(),
                node("gpu-reserved-p5-mig").instanceType(GpuInstanceType.P5_48XLARGE).reserved()
                        .nodePool(ON_DEMAND_POOL).zone("us-east-1a").mig("1g.10gb", 4).mig("3g.40gb", 4).build(),
                node("inference-spot-g6e-a").instanceType(GpuInstanceType.G6E_12XLARGE).spot()
                        .clusterApi("inference-gpu-spot").zone("us-east-1b").build(),
                node("inference-od-g6e-a").instanceType(GpuInstanceType.G6E_12XLARGE).onDemand()
                        .clusterApi("inference-gpu-on-demand").zone("us-east-1c").timeSliced(4).build(),
                node("gke-l4-spot-a").instanceType(GpuInstanceType.G2_STANDARD_24).spot().nodePool("l4-spot")
                        .build());
    }

    private static SimulatedGpuNode.Builder node(String name) {
        return SimulatedGpuNode.builder(name).scenario(SCENARIO);
    }

    /** The long-running workloads, one or more per sample budget. */
    static List<GpuWorkload> baseWorkloads() {
        return List.of(
                // llm-sweep-42 (ml-research): the forgotten notebook, holding an A10G at 1%.
                GpuWorkload.deployment(ML_RESEARCH, "jupyter-alice")
                        .label("experiment", "llm-sweep-42").label("team", "nlp")
                        .nodeSelector(INSTANCE_TYPE, GpuInstanceType.G5_XLARGE.apiName())
                        .utilisation(UtilisationProfile.idle()).scenario(SCENARIO).build(),
                // vision-team-monthly (vision): A10G embedder, MIG inference on the p5, a CronJob on GKE.
                GpuWorkload.deployment(VISION, "image-embedder").replicas(2)
                        .label("team", "vision").label("app.kubernetes.io/name", "image-embedder")
                        .nodeSelector(GPU_PRODUCT, A10G).preferNodeLabel(KARPENTER_CAPACITY_TYPE, "spot")
                        .utilisation(UtilisationProfile.noisy(0.6, 0.15)).scenario(SCENARIO).build(),
                GpuWorkload.deployment(VISION, "detector-serving").replicas(3).mig("1g.10gb", 1)
                        .label("team", "vision")
                        .utilisation(UtilisationProfile.noisy(0.4, 0.1)).scenario(SCENARIO).build(),
                GpuWorkload.deployment(VISION, "segmenter-serving").mig("3g.40gb", 1)
                        .label("team", "vision")
                        .utilisation(UtilisationProfile.noisy(0.7, 0.1)).scenario(SCENARIO).build(),
                GpuWorkload.cronJob(VISION, "embedding-refresh", "*/2 * * * *").runFor(Duration.ofSeconds(45))
                        .label("team", "vision").nodeSelector(GPU_PRODUCT, GpuModel.L4.productLabel())
                        .utilisation(UtilisationProfile.noisy(0.9, 0.05)).scenario(SCENARIO).build(),
                // recsys-weekly-dry-run (recsys): an oversized trainer on on-demand A100s (4 GPUs at 30%: the
                // pool's rightsizing advice says 2), an eval service on time-sliced L40S that is idle at first and
                // turns busy, and a serving Deployment the budget does not select.
                GpuWorkload.deployment(RECSYS, "ranking-trainer").gpus(4)
                        .label("app.kubernetes.io/part-of", "ranking-training").label("team", "recsys")
                        .nodeSelector(GPU_PRODUCT, A100).nodeSelector(KARPENTER_NODEPOOL, ON_DEMAND_POOL)
                        .utilisation(UtilisationProfile.noisy(0.3, 0.05)).scenario(SCENARIO).build(),
                GpuWorkload.deployment(RECSYS, "ranking-eval").replicas(2)
                        .label("app.kubernetes.io/part-of", "ranking-eval").label("team", "recsys")
                        .nodeSelector(SimulatedGpuNode.CLUSTER_API_DEPLOYMENT, "inference-gpu-on-demand")
                        .utilisation(UtilisationProfile.idle()).scenario(SCENARIO).build(),
                GpuWorkload.deployment(RECSYS, "ranking-serving").replicas(3)
                        .label("app.kubernetes.io/part-of", "ranking-serving").label("team", "recsys")
                        .requireNodeLabelIn(SimulatedGpuNode.CLUSTER_API_DEPLOYMENT, "inference-gpu-spot",
                                "inference-gpu-on-demand")
                        .utilisation(UtilisationProfile.noisy(0.3, 0.1)).scenario(SCENARIO).build());
    }

    /** The n-th trial of the LLM sweep: 2 A100s for 2.5 minutes, spot preferred. */
    static GpuWorkload sweepTrial(int n) {
        return GpuWorkload.job(ML_RESEARCH, "llm-sweep-42-trial-" + n).gpus(2).runFor(Duration.ofSeconds(150))
                .label("experiment", "llm-sweep-42").label("team", "nlp").label("trial", Integer.toString(n))
                .nodeSelector(GPU_PRODUCT, A100).requireNodeLabelIn(KARPENTER_NODEPOOL, SPOT_POOL, ON_DEMAND_POOL)
                .preferNodeLabel(KARPENTER_CAPACITY_TYPE, "spot")
                .utilisation(UtilisationProfile.busy()).scenario(SCENARIO).build();
    }

    /**
     * The n-th fine-tuning run of the vision team: 4 A100s for 4 minutes, long enough for the demo's small
     * budget on these runs to run out, enforce (suspend the running Job) and restore it while the first one runs.
     */
    static GpuWorkload visionFineTune(int n) {
        return GpuWorkload.job(VISION, "vit-finetune-" + n).gpus(4).runFor(Duration.ofMinutes(4))
                .label("team", "vision").label("app.kubernetes.io/name", "vit-finetune")
                .nodeSelector(GPU_PRODUCT, A100).requireNodeLabelIn(KARPENTER_NODEPOOL, SPOT_POOL, ON_DEMAND_POOL)
                .preferNodeLabel(KARPENTER_CAPACITY_TYPE, "spot")
                .utilisation(UtilisationProfile.noisy(0.8, 0.1)).scenario(SCENARIO).build();
    }

    static String interrupted(int occurrence) {
        return INTERRUPTIBLE.get(occurrence % INTERRUPTIBLE.size());
    }

    /** The on-demand node Karpenter would launch in place of an interrupted spot node. */
    static SimulatedGpuNode replacement(int occurrence) {
        SimulatedGpuNode spot = baseNodes().stream().filter(n -> n.name().equals(interrupted(occurrence)))
                .findFirst().orElseThrow();
        return node("gpu-od-replacement-" + occurrence).instanceType(spot.instanceType()).onDemand()
                .nodePool(ON_DEMAND_POOL).build();
    }

    /** The whole script. */
    Timeline timeline() {
        Timeline t = new Timeline();
        t.at(Duration.ZERO, "reset", ctx -> reset());
        for (String namespace : NAMESPACES) {
            t.at(Duration.ZERO, "namespace", ctx -> {
                sim.cluster().ensureNamespace(namespace, Map.of(SimulatorLabels.SCENARIO, SCENARIO));
                return "namespace " + namespace;
            });
        }
        for (SimulatedGpuNode node : baseNodes()) {
            t.at(Duration.ZERO, "add-node", ctx -> (sim.cluster().createNode(node) ? "created " : "kept existing ")
                    + node.describe());
        }
        for (GpuWorkload workload : baseWorkloads()) {
            t.at(Duration.ZERO, "workload", ctx -> {
                sim.run(workload);
                return "applied " + workload.describe();
            });
        }
        for (GpuWorkload workload : mlWorkloads) {
            t.at(Duration.ZERO, "ml-workload", ctx -> {
                sim.run(workload);
                return "applied " + workload.describe();
            });
        }
        t.every(Duration.ofMinutes(1), Duration.ofSeconds(5), "sweep-trial", ctx -> {
            GpuWorkload trial = sweepTrial(ctx.occurrence());
            sim.run(trial);
            return "started " + trial.describe();
        });
        t.every(Duration.ofMinutes(3), Duration.ofSeconds(20), "vision-finetune", ctx -> {
            GpuWorkload job = visionFineTune(ctx.occurrence());
            sim.run(job);
            return "started " + job.describe();
        });
        t.at(Duration.ofMinutes(3), "utilisation", ctx -> {
            sim.utilisation().set(RECSYS, "ranking-eval", UtilisationProfile.noisy(0.8, 0.1));
            return "recsys/ranking-eval turns busy: 1% -> 80%±10%";
        });
        t.every(Duration.ofMinutes(5), Duration.ofSeconds(150), "scale", ctx -> {
            int replicas = ctx.occurrence() % 2 == 0 ? 4 : 2;
            sim.cluster().scaleDeployment(VISION, "image-embedder", replicas);
            return "scaled Deployment vision/image-embedder to " + replicas;
        });
        t.every(INTERRUPTION_PERIOD, Duration.ofMinutes(4), "spot-interruption-notice", ctx -> {
            String node = interrupted(ctx.occurrence());
            return sim.cluster().markDisrupted(node)
                    ? "spot interruption notice for " + node + ": tainted " + SimulatorLabels.KARPENTER_DISRUPTED_TAINT
                            + ":NoSchedule"
                    : node + " is already gone";
        });
        t.every(INTERRUPTION_PERIOD, Duration.ofMinutes(4).plusSeconds(20), "spot-reclaimed", ctx -> {
            String node = interrupted(ctx.occurrence());
            int pods = sim.cluster().removeNode(node);
            SimulatedGpuNode replacement = replacement(ctx.occurrence());
            sim.cluster().createNode(replacement);
            return "spot node " + node + " reclaimed (" + pods + " pods force-deleted); Karpenter launched "
                    + replacement.describe();
        });
        t.every(INTERRUPTION_PERIOD, Duration.ofMinutes(6), "spot-back", ctx -> {
            String node = interrupted(ctx.occurrence());
            SimulatedGpuNode spot = baseNodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow();
            sim.cluster().createNode(spot);
            String replacement = replacement(ctx.occurrence()).name();
            sim.cluster().markDisrupted(replacement);
            int pods = sim.cluster().removeNode(replacement);
            return "spot capacity back: " + spot.describe() + "; consolidated " + replacement + " away (" + pods
                    + " pods moved)";
        });
        return t;
    }

    /**
     * Makes a re-run start from the base layout: nodes of an earlier run that are not base nodes
     * (replacements) or were being interrupted go away; base nodes are then (re-)created by the next steps.
     */
    private String reset() {
        Set<String> base = baseNodes().stream().map(SimulatedGpuNode::name).collect(Collectors.toSet());
        List<String> removed = new ArrayList<>();
        KubernetesClient client = sim.cluster().client();
        for (Node node : client.nodes().withLabel(SimulatorLabels.SCENARIO, SCENARIO).list().getItems()) {
            String name = node.getMetadata().getName();
            boolean disrupted = node.getSpec().getTaints() != null && node.getSpec().getTaints().stream()
                    .anyMatch(t -> SimulatorLabels.KARPENTER_DISRUPTED_TAINT.equals(t.getKey()));
            if (!base.contains(name) || disrupted) {
                sim.cluster().removeNode(name);
                removed.add(name);
            }
        }
        return removed.isEmpty() ? "no leftovers of an earlier run" : "removed leftover nodes " + removed;
    }

    public static void main(String[] args) throws Exception {
        int port = DcgmMetricsEndpoint.portFromEnvironment();
        Duration duration = null;
        boolean clean = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(args[++i]));
                case "--clean" -> clean = true;
                default -> {
                    System.err.println("usage: DemoScenario [--port N] [--duration SECONDS] [--clean]");
                    System.exit(2);
                }
            }
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        SimulatedCluster.requireReachable(client);
        if (clean) {
            new SimulatedCluster(client).deleteScenario(SCENARIO, NAMESPACES);
            System.out.println("deleted the demo's nodes and namespaces " + NAMESPACES);
            client.close();
            return;
        }
        Clock clock = Clock.systemUTC();
        GpuClusterSimulator sim = GpuClusterSimulator.start(client, port, clock);
        MlControllers ml = MlControllers.start(client, clock,
                line -> System.out.println(clock.instant().truncatedTo(ChronoUnit.SECONDS) + " " + line));
        List<String> skipped = new ArrayList<>();
        List<GpuWorkload> mlWorkloads = DemoMlWorkloads.runnable(ml, skipped);
        System.out.println("simulated ML controllers: " + ml.names() + (ml.missing().isEmpty() ? ""
                : "; not started, their CRDs are not installed: " + ml.missing()));
        skipped.forEach(System.out::println);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            ml.close();
            sim.close();
            client.close();
        }, "demo-shutdown"));
        System.out.println("GPU cluster simulator: " + client.getMasterUrl() + ", DCGM metrics on "
                + sim.metricsEndpoint().metricsUri());
        ScenarioRunner.printing(clock).run(new DemoScenario(sim, mlWorkloads).timeline(), duration);
        if (duration != null) {
            System.out.println("demo scenario ran for " + duration.getSeconds() + "s; stopping");
            System.exit(0);
        }
    }
}
