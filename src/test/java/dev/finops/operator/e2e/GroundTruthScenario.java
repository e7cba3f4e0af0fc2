package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A cost scenario with explicit timestamps and its ground truth computed independently of the operator's code:
 * GPU pods on static (non-kwok) nodes whose status this driver writes itself, start and end known to the
 * second, some clipped by the budget's creation, some outside its selector or namespace.
 */
public final class GroundTruthScenario {

    /** One pod of the scenario, times in seconds after the budget's creation. */
    record ScenarioPod(String name, String namespace, String node, Map<String, String> labels, String resource,
            long amount, long startOffset, long endOffset, boolean counted, BigDecimal nodePricePerHour,
            long shareNumerator, long shareDenominator) {
    }

    private static final Map<String, String> SELECTED = Map.of("team", "ground-truth");

    private final KubernetesClient client;
    private final String namespace;
    private final String prefix;
    private final List<ScenarioPod> pods = new ArrayList<>();
    private Instant created;

    private final LocalCluster cluster;

    public GroundTruthScenario(LocalCluster cluster, String namespace) {
        this.cluster = cluster;
        this.client = cluster.client();
        this.namespace = namespace;
        this.prefix = namespace;
    }

    /** Creates nodes, namespaces and the budget; returns the budget's name. */
    public String setUp() {
        cluster.namespace(namespace);
        cluster.namespace(namespace + "-other");
        node(prefix + "-p4d", "p4d.24xlarge", "on-demand", Map.of("nvidia.com/gpu", "8"), Map.of());
        node(prefix + "-g5", "g5.12xlarge", "spot", Map.of("nvidia.com/gpu", "4"), Map.of());
        node(prefix + "-p5", "p5.48xlarge", "on-demand", Map.of("nvidia.com/gpu", "8"), Map.of());
        node(prefix + "-mig", "p4d.24xlarge", "on-demand", Map.of("nvidia.com/mig-1g.5gb", "56"),
                Map.of("nvidia.com/gpu.count", "8"));
        BigDecimal p4d = new BigDecimal("32.7726");
        BigDecimal g5spot = new BigDecimal("1.9852");
        Map<String, String> other = Map.of("team", "someone-else");
        pods.add(new ScenarioPod("a-two-gpus", namespace, prefix + "-p4d", SELECTED, "nvidia.com/gpu", 2, 2, 22, true,
                p4d, 2, 8));
        pods.add(new ScenarioPod("b-spot", namespace, prefix + "-g5", SELECTED, "nvidia.com/gpu", 1, 3, 40, true,
                g5spot, 1, 4));
        pods.add(new ScenarioPod("c-mig-slice", namespace, prefix + "-mig", SELECTED, "nvidia.com/mig-1g.5gb", 1, 2,
                30, true, p4d, 1, 56));
        pods.add(new ScenarioPod("h-whole-h100-node", namespace, prefix + "-p5", SELECTED, "nvidia.com/gpu", 8, 2, 38,
                true, new BigDecimal("98.32"), 8, 8));
        pods.add(new ScenarioPod("d-blip", namespace, prefix + "-p4d", SELECTED, "nvidia.com/gpu", 4, 8, 9, true, p4d,
                4, 8));
        pods.add(new ScenarioPod("e-started-before-the-budget", namespace, prefix + "-p4d", SELECTED, "nvidia.com/gpu",
                1, -20, 12, true, p4d, 1, 8));
        pods.add(new ScenarioPod("f-not-selected", namespace, prefix + "-p4d", other, "nvidia.com/gpu", 1, 3, 30,
                false, p4d, 1, 8));
        pods.add(new ScenarioPod("g-other-namespace", namespace + "-other", prefix + "-p4d", SELECTED,
                "nvidia.com/gpu", 1, 3, 30, false, p4d, 1, 8));

        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("ground-truth");
        budget.getMetadata().setNamespace(namespace);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam("ground-truth");
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(SELECTED).build());
        spec.setLimit(new IntOrString("1000"));
        spec.setPeriod(BudgetPeriod.Total);
        budget.setSpec(spec);
        ExperimentBudget stored = client.resource(budget).create();
        created = Instant.parse(stored.getMetadata().getCreationTimestamp());
        return stored.getMetadata().getName();
    }

    /** Plays the timeline in real time: pods appear when they start and report their end when it comes. */
    public void play() throws InterruptedException {
        List<ScenarioPod> byStart = pods.stream().sorted(Comparator.comparingLong(ScenarioPod::startOffset)).toList();
        List<ScenarioPod> byEnd = pods.stream().sorted(Comparator.comparingLong(ScenarioPod::endOffset)).toList();
        int started = 0;
        int ended = 0;
        while (ended < byEnd.size()) {
            Instant now = Instant.now();
            while (started < byStart.size() && !created.plusSeconds(byStart.get(started).startOffset()).isAfter(now)) {
                start(byStart.get(started++));
            }
            while (ended < byEnd.size() && !created.plusSeconds(byEnd.get(ended).endOffset()).isAfter(now)) {
                finish(byEnd.get(ended++));
            }
            Thread.sleep(100);
        }
    }

    /** When the last pod of the scenario ends. */
    public Instant lastEnd() {
        return created.plusSeconds(pods.stream().mapToLong(ScenarioPod::endOffset).max().orElseThrow());
    }

    /**
     * The ground truth in micro-units: for each selected pod, floor(price x share x seconds run after the
     * budget's creation), computed here with BigDecimal from the list prices, not with the operator's code.
     */
    public long expectedMicros() {
        return pods.stream().filter(ScenarioPod::counted).mapToLong(GroundTruthScenario::expectedMicros).sum();
    }

    private static long expectedMicros(ScenarioPod pod) {
        return costMicros(pod, pod.endOffset() - pod.startOffset()) - costMicros(pod, Math.max(0, -pod.startOffset()));
    }

    private static long costMicros(ScenarioPod pod, long seconds) {
        BigInteger micros = pod.nodePricePerHour().movePointRight(6).toBigIntegerExact()
                .multiply(BigInteger.valueOf(pod.shareNumerator())).multiply(BigInteger.valueOf(seconds));
        return micros.divide(BigInteger.valueOf(pod.shareDenominator() * 3600)).longValueExact();
    }

    private void node(String name, String instanceType, String capacityType, Map<String, String> gpus,
            Map<String, String> extraLabels) {
        Map<String, Quantity> resources = new java.util.HashMap<>();
        gpus.forEach((resource, amount) -> resources.put(resource, new Quantity(amount)));
        resources.put("cpu", new Quantity("96"));
        resources.put("pods", new Quantity("110"));
        Map<String, String> labels = new java.util.HashMap<>(extraLabels);
        labels.put("node.kubernetes.io/instance-type", instanceType);
        labels.put("karpenter.sh/capacity-type", capacityType);
        labels.put("finops.dev/e2e", prefix);
        Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewStatus().withCapacity(resources).withAllocatable(resources).endStatus().build();
        client.nodes().resource(node).createOr(existing -> existing.update());
    }

    /**
     * Creates the pod and reports it running since its start, as its kubelet would; through an API outage it is
     * reported when the API server answers again, with the same timestamps, as a kubelet reconnecting does.
     */
    private void start(ScenarioPod spec) {
        Pod pod = new PodBuilder().withNewMetadata().withName(spec.name()).withNamespace(spec.namespace())
                .withLabels(spec.labels()).endMetadata()
                .withNewSpec().withNodeName(spec.node()).withRestartPolicy("Never")
                .addNewContainer().withName("train").withImage("registry.example/train:1")
                .withNewResources().addToRequests(spec.resource(), new Quantity(Long.toString(spec.amount())))
                .addToLimits(spec.resource(), new Quantity(Long.toString(spec.amount()))).endResources()
                .endContainer().endSpec().build();
        String startTime = created.plusSeconds(spec.startOffset()).toString();
        throughOutages("start " + spec.name(), () -> {
            Pod stored = client.pods().inNamespace(spec.namespace()).withName(spec.name()).get();
            Pod createdPod = stored != null ? stored : client.resource(pod).create();
            createdPod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                    .withStartTime(startTime)
                    .withContainerStatuses(new ContainerStatusBuilder().withName("train")
                            .withImage("registry.example/train:1").withImageID("").withReady(true).withRestartCount(0)
                            .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(startTime)
                                    .endRunning().build()).build())
                    .build());
            client.resource(createdPod).updateStatus();
        });
    }

    /** Reports the pod's end, at its own time, whenever the API server takes it. */
    private void finish(ScenarioPod spec) {
        String startTime = created.plusSeconds(spec.startOffset()).toString();
        String endTime = created.plusSeconds(spec.endOffset()).toString();
        throughOutages("finish " + spec.name(), () -> {
            Pod pod = client.pods().inNamespace(spec.namespace()).withName(spec.name()).get();
            pod.getStatus().setPhase("Succeeded");
            pod.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("train")
                    .withImage("registry.example/train:1").withImageID("").withReady(false).withRestartCount(0)
                    .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                            .withStartedAt(startTime).withFinishedAt(endTime).endTerminated().build()).build()));
            client.resource(pod).updateStatus();
        });
    }

    /** Retries a write until the API server takes it (3 minutes at most): the scenario outlives API outages. */
    private static void throughOutages(String what, Runnable write) {
        Instant giveUp = Instant.now().plusSeconds(180);
        while (true) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException(what + ": the API server did not come back", e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    /**
     * Waits until the budget's ledger has passed the scenario's last pod end and equals the ground truth to the
     * micro-unit (and its display to the cent).
     */
    public void awaitLedgerEqualsGroundTruth(String budget, Duration atMost) {
        long expected = expectedMicros();
        Instant end = lastEnd();
        try {
            awaitLedger(budget, atMost, expected, end);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // which pod is off: the operator's spend per workload (a bare pod is its own) against each pod's truth
            ExperimentBudgetStatus status = client.resources(ExperimentBudget.class).inNamespace(namespace)
                    .withName(budget).get().getStatus();
            for (ScenarioPod pod : pods) {
                if (pod.counted()) {
                    Long charged = status == null || status.getWorkloads() == null ? null : status.getWorkloads()
                            .stream().filter(w -> w.getName().equals(pod.name())).findFirst()
                            .map(dev.finops.operator.api.WorkloadCost::getSpentMicros).orElse(null);
                    System.out.printf("%s: %s truth %d, charged %s%n", namespace, pod.name(), expectedMicros(pod),
                            charged);
                }
            }
            throw e;
        }
        System.out.printf("%s: ground truth %d micros = %s; operator agrees%n", namespace, expected,
                BigDecimal.valueOf(expected).movePointLeft(6));
    }

    private void awaitLedger(String budget, Duration atMost, long expected, Instant end) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ExperimentBudgetStatus status = client.resources(ExperimentBudget.class).inNamespace(namespace)
                    .withName(budget).get().getStatus();
            assertThat(status).isNotNull();
            assertThat(status.getLedger()).isNotNull();
            assertThat(Instant.parse(status.getLedger().getAccruedUntil())).isAfter(end);
            assertThat(status.getLedger().getSpentMicros()).isEqualTo(expected);
            assertThat(status.getSpent()).isEqualTo(BigDecimal.valueOf(expected).movePointLeft(6)
                    .setScale(2, RoundingMode.HALF_UP).toPlainString());
        });
    }

    public String namespace() {
        return namespace;
    }

    /** Removes what the scenario created. */
    public void tearDown() {
        for (String ns : List.of(namespace, namespace + "-other")) {
            client.namespaces().withName(ns).delete();
        }
        client.nodes().withLabel("finops.dev/e2e", prefix).delete();
    }
}
