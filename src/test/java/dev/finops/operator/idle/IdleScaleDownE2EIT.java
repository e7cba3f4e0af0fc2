package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.e2e.LocalCluster;
import dev.finops.operator.e2e.OperatorProcess;
import dev.finops.sim.GpuClusterSimulator;
import dev.finops.sim.GpuInstanceType;
import dev.finops.sim.GpuWorkload;
import dev.finops.sim.SimulatedGpuNode;
import dev.finops.sim.SimulatorLabels;
import dev.finops.sim.UtilisationProfile;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Idle detection end to end: the local control plane runs real Deployments on simulated GPU nodes, the
 * simulator serves their GPU utilisation in dcgm-exporter's format, the local cluster's real Prometheus scrapes
 * it every 5 s, and the packaged operator queries that Prometheus with a 1-minute window. Idle workloads go to
 * zero only after the window, busy ones and one that turns busy within the window stay, one using few of its
 * GPUs gets a rightsizing advice; a person's scale-up and
 * {@code finops.dev/restore} are honoured; without Prometheus nothing is scaled down; deleting the pool gives
 * back what it scaled down; a pool whose nodes no exporter reports on says so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdleScaleDownE2EIT {

    private static final String NS = "idle-e2e";
    private static final String POOL = "idle-e2e";
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(5);
    private static final String OWNER = "gpupool/" + POOL;
    private static final String DARK = "idle-e2e/unwatched";
    private static final String DARK_NODE = "idle-e2e-unwatched";
    private static final String DARK_POOL = "idle-e2e-unwatched";

    private static LocalCluster cluster;
    private static KubernetesClient client;
    private static GpuClusterSimulator simulator;
    private static OperatorProcess operator;
    private static Instant restoredAt;

    @BeforeAll
    static void setUp() {
        cluster = LocalCluster.get();
        client = cluster.client();
        cluster.installCrds();
        cluster.namespace(NS);
        simulator = GpuClusterSimulator.start(client, cluster.simulatorMetricsPort(), Clock.systemUTC());
        for (String name : List.of("idle-e2e-g5-a", "idle-e2e-g5-b", "idle-e2e-g5-c")) {
            simulator.cluster().createNode(SimulatedGpuNode.builder(name).instanceType(GpuInstanceType.G5_12XLARGE)
                    .onDemand().scenario(POOL).build());
        }
        operator = new OperatorProcess(cluster, "idle", Map.of("FINOPS_PASS_INTERVAL", "2s",
                "FINOPS_PROMETHEUS_URL", cluster.prometheusUrl(),
                "FINOPS_PROMETHEUS_SCRAPE_INTERVAL", SCRAPE_INTERVAL.toSeconds() + "s",
                "QUARKUS_PROFILE", "e2e")).start();
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        operator.close();
        client.resources(GpuPool.class).withName(POOL).delete();
        client.resources(GpuPool.class).withName(DARK_POOL).delete();
        client.namespaces().withName(NS).delete();
        client.nodes().withName(DARK_NODE).delete();
        simulator.close();
    }

    @Test
    @Order(1)
    void idleWorkloadsGoToZeroAfterTheWindowWhileBusyOnesStay() {
        Instant start = Instant.now();
        run("idle-notebook", 1, UtilisationProfile.idle(), Map.of());
        run("idle-sweep", 2, UtilisationProfile.idle(), Map.of());
        run("busy-trainer", 1, UtilisationProfile.busy(), Map.of());
        // idle at first, busy from 35 s on: never idle for a whole minute
        run("wakes-up", 1, UtilisationProfile.switchesAt(start.plusSeconds(35), UtilisationProfile.idle(),
                UtilisationProfile.busy()), Map.of());
        run("exempt-notebook", 1, UtilisationProfile.idle(), Map.of("finops.dev/exempt", "true"));
        // busy, but at 15% of the 2 GPUs it asks for: one would do
        simulator.run(GpuWorkload.deployment(NS, "oversized-trainer").gpus(2)
                .nodeSelector(SimulatorLabels.SCENARIO, POOL).utilisation(UtilisationProfile.noisy(0.15, 0.03))
                .scenario(POOL).build());
        awaitRunningPods(7);
        Instant firstPodStarted = runningPods().stream().map(pod -> Instant.parse(pod.getStatus().getStartTime()))
                .min(Instant::compareTo).orElseThrow();
        client.resource(pool()).create();

        await().atMost(WINDOW.plusSeconds(90)).untilAsserted(() -> {
            assertThat(replicas("idle-notebook")).isZero();
            assertThat(replicas("idle-sweep")).isZero();
        });
        assertThat(client.apps().deployments().inNamespace(NS).withLabel("finops.dev/suspended", "true").list()
                .getItems()).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("idle-notebook", "idle-sweep");
        Map<String, String> record = annotations("idle-sweep");
        assertThat(record).containsEntry("finops.dev/suspended-by", OWNER)
                .containsEntry("finops.dev/replicas-before", "2")
                .containsEntry("finops.dev/suspend-mode", "ScaleToZero");
        Instant scaledDown = Instant.parse(annotations("idle-notebook").get("finops.dev/suspended-at"));
        assertThat(scaledDown).as("not before its pods ran a whole window").isAfterOrEqualTo(firstPodStarted.plus(WINDOW));
        System.out.printf("idle pods started -> scaled down: %d s (window %d s, scrape every %d s, pass 2 s)%n",
                Duration.between(firstPodStarted, scaledDown).toSeconds(), WINDOW.toSeconds(),
                SCRAPE_INTERVAL.toSeconds());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(condition("IdleDetectionAvailable")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
            assertThat(listed("idle-notebook")).hasValueSatisfying(entry -> {
                assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.ScaledDown);
                assertThat(entry.getApiVersion()).isEqualTo("apps/v1");
                assertThat(entry.getGpus()).isEqualTo("1");
                assertThat(entry.getScaledDownAt()).isEqualTo(scaledDown.toString());
            });
            assertThat(listed("idle-sweep")).hasValueSatisfying(entry -> assertThat(entry.getGpus()).isEqualTo("2"));
            assertThat(listed("exempt-notebook")).as("exempt: out of detection's scope").isEmpty();
            assertThat(listed("busy-trainer")).isEmpty();
            assertThat(listed("wakes-up")).isEmpty();
            assertThat(listed("oversized-trainer")).isEmpty();
            // half of a g5.12xlarge (5.672/h on demand, 4 GPUs) is 2.836/h; one GPU of two saved: 1.418/h
            assertThat(client.resources(GpuPool.class).withName(POOL).get().getStatus().getRecommendations())
                    .singleElement().satisfies(advice -> {
                        assertThat(advice.getName()).isEqualTo("oversized-trainer");
                        assertThat(advice.getRequestedGpus()).isEqualTo(2);
                        assertThat(advice.getUsedPercent()).isBetween(10, 20);
                        assertThat(advice.getRecommendedGpus()).isEqualTo(1);
                        assertThat(advice.getSavingsPerHour()).isEqualTo("1.42");
                    });
        });
        assertThat(replicas("oversized-trainer")).isEqualTo(1);
        assertThat(replicas("busy-trainer")).isEqualTo(1);
        assertThat(replicas("wakes-up")).isEqualTo(1);
        assertThat(replicas("exempt-notebook")).isEqualTo(1);
        assertThat(eventsOn("idle-notebook")).as("kubectl describe shows why")
                .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("IdleScaledDown"));
    }

    @Test
    @Order(2)
    void aPersonScalingOneBackUpIsRespectedForAWholeNewWindow() {
        Instant woken = Instant.now();
        client.apps().deployments().inNamespace(NS).withName("idle-notebook").scale(1);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(annotations("idle-notebook")).containsEntry("finops.dev/suspended-by", OWNER)
                    .containsKey("finops.dev/resumed-by-user-at");
            assertThat(listed("idle-notebook")).hasValueSatisfying(entry ->
                    assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        });
        assertThat(eventsOn("idle-notebook"))
                .anySatisfy(event -> assertThat(event.getReason()).isEqualTo("IdleWokenByUser"));
        // still idle, but not for a whole window since the wake
        await().during(WINDOW.minusSeconds(20)).atMost(WINDOW).until(() -> replicas("idle-notebook") == 1);
        await().atMost(WINDOW.plusSeconds(60)).until(() -> replicas("idle-notebook") == 0);
        Instant again = Instant.parse(annotations("idle-notebook").get("finops.dev/suspended-at"));
        assertThat(again).as("a whole new window after the wake").isAfterOrEqualTo(woken.plus(WINDOW));
    }

    @Test
    @Order(3)
    void theRestoreAnnotationBringsBackTheRecordedReplicas() {
        client.apps().deployments().inNamespace(NS).withName("idle-sweep").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"finops.dev/restore\":\"true\"}}}");

        // a restore is a wake: the recorded replicas come back and stay for a whole window, like a person's scale-up
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(replicas("idle-sweep")).isEqualTo(2);
            assertThat(annotations("idle-sweep")).doesNotContainKey("finops.dev/restore")
                    .containsEntry("finops.dev/suspended-by", OWNER).containsKey("finops.dev/resumed-by-user-at");
            assertThat(listed("idle-sweep")).hasValueSatisfying(entry ->
                    assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.WokenByUser));
        });
        restoredAt = Instant.now();
        assertThat(eventsOn("idle-sweep")).anySatisfy(event -> assertThat(event.getReason()).isEqualTo("IdleRestored"));
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> replicas("idle-sweep") == 2);
    }

    @Test
    @Order(4)
    void withoutPrometheusNothingIsScaledDownAndTheConditionSaysWhy() throws Exception {
        cluster.stopPrometheus();
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(condition("IdleDetectionAvailable"))
                    .hasValueSatisfying(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("PrometheusUnavailable");
                        assertThat(c.getMessage()).contains("nothing is scaled down");
                    }));
            // the restored sweep is idle again; a whole window and more passes without an answer from Prometheus
            Duration untilEligible = Duration.between(Instant.now(), restoredAt.plus(WINDOW).plusSeconds(20));
            await().during(untilEligible).atMost(untilEligible.plusSeconds(5))
                    .until(() -> replicas("idle-sweep") == 2);
            assertThat(listed("idle-notebook")).as("what it scaled down stays listed")
                    .hasValueSatisfying(entry -> assertThat(entry.getAction()).isEqualTo(IdleWorkloadAction.ScaledDown));
        } finally {
            cluster.startMissingComponents();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(condition("IdleDetectionAvailable"))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }

    @Test
    @Order(5)
    void deletingThePoolGivesBackWhatItScaledDown() {
        assertThat(replicas("idle-notebook")).isZero();
        client.resources(GpuPool.class).withName(POOL).delete();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.resources(GpuPool.class).withName(POOL).get()).isNull();
            assertThat(replicas("idle-notebook")).isEqualTo(1);
            assertThat(annotations("idle-notebook")).doesNotContainKey("finops.dev/suspended-by");
        });
    }

    @Test
    @Order(6)
    void aPoolWhoseNodesHaveNoDcgmSeriesSaysSoAndActsOnNothing() {
        // a GPU node no dcgm-exporter (here: the simulator) reports on, with a GPU pod running on it
        client.nodes().resource(GpuFixtures.p4dNode(DARK_NODE, "on-demand", Map.of(DARK, "true"))).create();
        simulator.run(GpuWorkload.deployment(NS, "unwatched-trainer").nodeSelector(DARK, "true")
                .utilisation(UtilisationProfile.idle()).scenario(POOL).build());
        await().atMost(Duration.ofSeconds(60)).until(() -> runningPods().stream()
                .anyMatch(pod -> DARK_NODE.equals(pod.getSpec().getNodeName())));
        GpuPool dark = pool();
        dark.getMetadata().setName(DARK_POOL);
        dark.getSpec().getNodeSelector().setMatchLabels(Map.of(DARK, "true"));
        client.resource(dark).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(condition(DARK_POOL,
                "IdleDetectionAvailable")).hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("NoSeries");
                    assertThat(c.getMessage()).contains("DCGM exporter").contains("Nothing is scaled down");
                }));
        assertThat(replicas("unwatched-trainer")).isEqualTo(1);
    }

    private static void run(String name, int replicas, UtilisationProfile utilisation, Map<String, String> labels) {
        simulator.run(GpuWorkload.deployment(NS, name).replicas(replicas).labels(labels)
                .nodeSelector(SimulatorLabels.SCENARIO, POOL).utilisation(utilisation).scenario(POOL).build());
    }

    private static GpuPool pool() {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: finops.dev/v1alpha1
                kind: GpuPool
                metadata: {name: %s}
                spec:
                  nodeSelector:
                    matchLabels: {%s: %s}
                  capacity: {strategy: OnDemandOnly}
                  idle:
                    enabled: true
                    metric: DCGM_FI_PROF_GR_ENGINE_ACTIVE
                    thresholdPercent: 10
                    window: %ds
                    action: ScaleDown
                """.formatted(POOL, SimulatorLabels.SCENARIO, POOL, WINDOW.toSeconds()), GpuPool.class);
    }

    private static Optional<IdleWorkload> listed(String name) {
        GpuPool pool = client.resources(GpuPool.class).withName(POOL).get();
        List<IdleWorkload> idle = pool.getStatus() == null || pool.getStatus().getIdleWorkloads() == null ? List.of()
                : pool.getStatus().getIdleWorkloads();
        return idle.stream().filter(entry -> entry.getName().equals(name)).findFirst();
    }

    private static Optional<Condition> condition(String type) {
        return condition(POOL, type);
    }

    private static Optional<Condition> condition(String poolName, String type) {
        return StatusConditions.condition(client.resources(GpuPool.class).withName(poolName).get(), type);
    }

    private static int replicas(String name) {
        Deployment deployment = client.apps().deployments().inNamespace(NS).withName(name).get();
        return deployment.getSpec().getReplicas();
    }

    private static Map<String, String> annotations(String name) {
        Map<String, String> annotations = client.apps().deployments().inNamespace(NS).withName(name).get()
                .getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** The Events kubectl describe shows for the Deployment: selected by its uid. */
    private static List<Event> eventsOn(String name) {
        String uid = client.apps().deployments().inNamespace(NS).withName(name).get().getMetadata().getUid();
        return client.v1().events().inNamespace(NS).withField("involvedObject.uid", uid).list().getItems();
    }

    private static List<Pod> runningPods() {
        return client.pods().inNamespace(NS).withField("status.phase", "Running").list().getItems();
    }

    private static void awaitRunningPods(int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> runningPods().size() == count);
    }
}
