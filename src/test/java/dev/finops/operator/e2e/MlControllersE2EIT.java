package dev.finops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator playing the Kubeflow training operator, KubeRay and Kueue on their real CRDs, on the local
 * cluster (scheduler, garbage collector, kwok running the pods on simulated GPU nodes): what each suspends
 * goes away, and resuming brings back exactly the pods there were. No operator runs here.
 */
class MlControllersE2EIT {

    private static final String NS = "ml-sim";
    private static final Duration GONE = Duration.ofSeconds(30);
    private static final ResourceDefinitionContext PYTORCHJOBS = context("kubeflow.org", "v1", "PyTorchJob", "pytorchjobs");
    private static final ResourceDefinitionContext RAYJOBS = context("ray.io", "v1", "RayJob", "rayjobs");
    private static final ResourceDefinitionContext RAYCLUSTERS = context("ray.io", "v1", "RayCluster", "rayclusters");
    private static final ResourceDefinitionContext WORKLOADS = context("kueue.x-k8s.io", "v1beta2", "Workload", "workloads");

    private static MlWorkloadsScenario scenario;
    private static KubernetesClient client;

    @BeforeAll
    static void setUp() {
        LocalCluster cluster = LocalCluster.get();
        client = cluster.client();
        scenario = MlWorkloadsScenario.start(cluster, NS, 2);
    }

    @AfterAll
    static void tearDown() {
        scenario.close();
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    @Test
    void aSuspendedPyTorchJobLosesItsPodsAndGetsTheSameOnesBackOnResume() {
        scenario.pyTorchJob("bert", 3, 2, Map.of("experiment", "bert-ft"));
        GenericKubernetesResource job = client.genericKubernetesResources(PYTORCHJOBS).inNamespace(NS).withName("bert").get();
        Map<String, String> before = awaitRunning("bert", 3);
        assertThat(before).isEqualTo(Map.of("bert-master-0", "2", "bert-worker-0", "2", "bert-worker-1", "2"));
        Pod master = scenario.podsOf("bert").stream().filter(p -> p.getMetadata().getName().equals("bert-master-0"))
                .findFirst().orElseThrow();
        assertThat(master.getMetadata().getLabels()).containsEntry("training.kubeflow.org/job-name", "bert")
                .containsEntry("training.kubeflow.org/replica-type", "master")
                .containsEntry("training.kubeflow.org/replica-index", "0")
                .containsEntry("training.kubeflow.org/job-role", "master");
        assertControlledBy(master, "PyTorchJob", job);
        assertThat(master.getSpec().getNodeName()).startsWith(NS + "-gpu-");

        patchSpec(PYTORCHJOBS, "bert", "{\"spec\":{\"runPolicy\":{\"suspend\":true}}}");
        awaitNoPods("bert");
        await().atMost(GONE).until(() -> condition(PYTORCHJOBS, "bert", "Suspended").equals("True/PyTorchJobSuspended"));

        patchSpec(PYTORCHJOBS, "bert", "{\"spec\":{\"runPolicy\":{\"suspend\":false}}}");
        assertThat(awaitRunning("bert", 3)).isEqualTo(before);
        await().atMost(GONE).until(() -> condition(PYTORCHJOBS, "bert", "Suspended").equals("False/PyTorchJobResumed"));
    }

    @Test
    void aSuspendedRayJobLosesItsClusterAndResumesOnANewOneWithTheSamePods() {
        scenario.rayJob("tune", 2, 1, Map.of("experiment", "tune"));
        GenericKubernetesResource rayJob = client.genericKubernetesResources(RAYJOBS).inNamespace(NS).withName("tune").get();
        Map<String, String> before = groupsOf(awaitRunningPods("tune", 3));
        assertThat(before).isEqualTo(Map.of("headgroup", "-", "gpu-workers", "1,1"));
        String firstCluster = rayStatus("rayClusterName");
        GenericKubernetesResource cluster = client.genericKubernetesResources(RAYCLUSTERS).inNamespace(NS)
                .withName(firstCluster).get();
        assertControlledBy(cluster, "RayJob", rayJob);
        scenario.podsOf("tune").forEach(p -> assertControlledBy(p, "RayCluster", cluster));
        await().atMost(GONE).until(() -> "Running".equals(rayStatus("jobDeploymentStatus")));

        patchSpec(RAYJOBS, "tune", "{\"spec\":{\"suspend\":true}}");
        awaitNoPods("tune");
        await().atMost(GONE).until(() -> "Suspended".equals(rayStatus("jobDeploymentStatus")));
        assertThat(client.genericKubernetesResources(RAYCLUSTERS).inNamespace(NS).withName(firstCluster).get()).isNull();

        patchSpec(RAYJOBS, "tune", "{\"spec\":{\"suspend\":false}}");
        assertThat(groupsOf(awaitRunningPods("tune", 3))).isEqualTo(before);
        await().atMost(GONE).until(() -> "Running".equals(rayStatus("jobDeploymentStatus")));
        assertThat(rayStatus("rayClusterName")).startsWith("tune-").isNotEqualTo(firstCluster);
    }

    @Test
    void aDeactivatedKueueWorkloadSuspendsItsJobAndReactivatingItRunsTheJobAgain() {
        scenario.queuedJob("sweep", "gpu-queue", 2, 1, Map.of("experiment", "sweep"));
        Job job = client.batch().v1().jobs().inNamespace(NS).withName("sweep").get();
        await().atMost(GONE).until(() -> Boolean.FALSE.equals(client.batch().v1().jobs().inNamespace(NS)
                .withName("sweep").get().getSpec().getSuspend()));
        awaitRunningPods("sweep", 2);
        GenericKubernetesResource workload = workloadOf(job);
        assertThat(workload.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/job-uid", job.getMetadata().getUid());
        assertControlledBy(workload, "Job", job);

        patchSpec(WORKLOADS, workload.getMetadata().getName(), "{\"spec\":{\"active\":false}}");
        awaitNoPods("sweep");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("sweep").get().getSpec().getSuspend()).isTrue();
        await().atMost(GONE).until(() -> condition(WORKLOADS, workload.getMetadata().getName(), "Evicted")
                .equals("True/Deactivated"));

        patchSpec(WORKLOADS, workload.getMetadata().getName(), "{\"spec\":{\"active\":true}}");
        assertThat(awaitRunningPods("sweep", 2)).hasSize(2);
        assertThat(condition(WORKLOADS, workload.getMetadata().getName(), "Admitted")).isEqualTo("True/Admitted");
    }

    @Test
    void kueueUndoesADirectSuspendOfAJobItAdmitted() {
        scenario.queuedJob("direct", "gpu-queue", 1, 1, Map.of());
        awaitRunningPods("direct", 1);

        client.batch().v1().jobs().inNamespace(NS).withName("direct")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");

        await().atMost(GONE).until(() -> startsOf("direct") == 2);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("direct").get().getSpec().getSuspend()).isFalse();
        awaitRunningPods("direct", 1);
    }

    private static long startsOf(String job) {
        return scenario.lines().stream().filter(l -> l.startsWith("kueue: started Job " + NS + "/" + job + " ")).count();
    }

    private static GenericKubernetesResource workloadOf(Job job) {
        return await().atMost(GONE).until(() -> client.genericKubernetesResources(WORKLOADS).inNamespace(NS).list()
                .getItems().stream().filter(w -> w.getMetadata().getOwnerReferences().stream()
                        .anyMatch(r -> job.getMetadata().getUid().equals(r.getUid()))).findFirst().orElse(null),
                w -> w != null);
    }

    private static void assertControlledBy(io.fabric8.kubernetes.api.model.HasMetadata object, String kind,
            io.fabric8.kubernetes.api.model.HasMetadata owner) {
        assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies((OwnerReference ref) -> {
            assertThat(ref.getKind()).isEqualTo(kind);
            assertThat(ref.getName()).isEqualTo(owner.getMetadata().getName());
            assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
        });
    }

    /** Waits for exactly {@code count} live pods, all Running on a node; returns name -> GPUs requested. */
    private static Map<String, String> awaitRunning(String workload, int count) {
        return awaitRunningPods(workload, count).stream().collect(Collectors.toMap(p -> p.getMetadata().getName(),
                MlControllersE2EIT::gpus, (a, b) -> a, TreeMap::new));
    }

    private static List<Pod> awaitRunningPods(String workload, int count) {
        return await().atMost(Duration.ofSeconds(90)).until(() -> scenario.podsOf(workload), pods -> pods.size() == count
                && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
    }

    private static void awaitNoPods(String workload) {
        long start = System.nanoTime();
        await().atMost(GONE).until(() -> scenario.podsOf(workload).isEmpty());
        System.out.printf("[sim] %s: pods gone %d ms after the suspend%n", workload, (System.nanoTime() - start) / 1_000_000);
    }

    private static String gpus(Pod pod) {
        var requests = pod.getSpec().getContainers().get(0).getResources().getRequests();
        return requests.containsKey("nvidia.com/gpu") ? requests.get("nvidia.com/gpu").getAmount() : "-";
    }

    /** Ray pods by group: the GPUs of each pod, sorted (pod names are generated, so they are not compared). */
    private static Map<String, String> groupsOf(List<Pod> pods) {
        return pods.stream().collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get("ray.io/group"),
                TreeMap::new, Collectors.mapping(MlControllersE2EIT::gpus, Collectors.collectingAndThen(
                        Collectors.toList(), l -> l.stream().sorted().collect(Collectors.joining(","))))));
    }

    private static String rayStatus(String field) {
        Object value = ((Map<?, ?>) client.genericKubernetesResources(RAYJOBS).inNamespace(NS).withName("tune").get()
                .getAdditionalProperties().getOrDefault("status", Map.of())).get(field);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static String condition(ResourceDefinitionContext kind, String name, String type) {
        GenericKubernetesResource object = client.genericKubernetesResources(kind).inNamespace(NS).withName(name).get();
        Map<String, Object> status = (Map<String, Object>) object.getAdditionalProperties().getOrDefault("status", Map.of());
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
        return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst()
                .map(c -> c.get("status") + "/" + c.get("reason")).orElse("absent");
    }

    private static void patchSpec(ResourceDefinitionContext kind, String name, String patch) {
        client.genericKubernetesResources(kind).inNamespace(NS).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }
}
