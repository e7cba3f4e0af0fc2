package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Plays KubeRay v1.5.0's RayCluster controller: keeps each group's pods at its desired count
 * ({@link RayClusterPods}), creating missing ones and deleting extra ones; {@code spec.suspend: true} deletes
 * every pod and, once they are gone, sets {@code status.state: suspended} and the {@code RayClusterSuspended}
 * condition; {@code false} again creates them anew. {@code state: ready} once every desired pod runs.
 */
final class RayClusterSim implements SimulatedController {

    private final KubernetesClient client;
    private final Clock clock;
    private final Consumer<String> report;
    private final ReconcileQueue queue;
    private final SharedIndexInformer<GenericKubernetesResource> clusters;
    private final OwnedPods pods;

    RayClusterSim(KubernetesClient client, Clock clock, Consumer<String> report) {
        this.client = client;
        this.clock = clock;
        this.report = report;
        this.queue = new ReconcileQueue("raycluster-controller", this::reconcile);
        this.clusters = Informers.start(client.genericKubernetesResources(CustomKind.RAY_CLUSTER.context())
                .inAnyNamespace(), queue);
        this.pods = OwnedPods.start(client, KubeRay.CLUSTER_LABEL, null, CustomKind.RAY_CLUSTER.kind(), queue::enqueue);
    }

    @Override
    public String name() {
        return "kuberay (RayCluster)";
    }

    void reconcile(ObjectKey key) {
        GenericKubernetesResource cluster = clusters.getStore().getByKey(key.namespace() + "/" + key.name());
        if (cluster == null || cluster.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        List<Pod> owned = pods.of(cluster.getMetadata().getUid());
        Map<String, Integer> desired = RayClusterPods.desiredCounts(cluster);
        String owner = "RayCluster " + key;
        List<Pod> create = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        desired.forEach((group, count) -> {
            List<Pod> live = owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                    && group.equals(p.getMetadata().getLabels().get(KubeRay.GROUP_LABEL))).toList();
            for (int i = live.size(); i < count; i++) {
                create.add(RayClusterPods.newPod(cluster, group, client.getKubernetesSerialization()));
            }
            delete.addAll(live.subList(Math.min(count, live.size()), live.size()));
        });
        owned.stream().filter(p -> !desired.containsKey(p.getMetadata().getLabels().get(KubeRay.GROUP_LABEL)))
                .forEach(delete::add);
        PodSets.create(client, name(), owner, create, report);
        PodSets.delete(client, name(), owner, delete, report);
        writeStatus(cluster, owned, desired);
    }

    private void writeStatus(GenericKubernetesResource cluster, List<Pod> owned, Map<String, Integer> desired) {
        boolean suspend = Unstructured.isTrue(cluster, "spec", "suspend");
        int wanted = desired.values().stream().mapToInt(Integer::intValue).sum();
        long running = owned.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count();
        Map<String, Object> old = Unstructured.map(cluster, "status");
        Map<String, Object> status = new LinkedHashMap<>(old);
        int workers = wanted - desired.getOrDefault(KubeRay.HEAD_GROUP, 0);
        status.put("desiredWorkerReplicas", workers);
        status.put("readyWorkerReplicas", (int) Math.max(0, running - (desired.get(KubeRay.HEAD_GROUP) > 0 ? 1 : 0)));
        long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
        status.put("observedGeneration", generation);
        List<Map<String, Object>> conditions = new ArrayList<>(Unstructured.list(old, "conditions"));
        if (suspend && owned.isEmpty()) {
            status.put("state", KubeRay.STATE_SUSPENDED);
            Conditions.set(conditions, "RayClusterSuspended", true, "RayClusterSuspended", "RayCluster has been suspended",
                    generation, clock.instant());
        } else if (!suspend) {
            if (Conditions.isTrue(conditions, "RayClusterSuspended")) {
                Conditions.set(conditions, "RayClusterSuspended", false, "RayClusterSuspended", "",
                        generation, clock.instant());
                status.remove("state");
            }
            if (wanted > 0 && running == wanted && owned.size() == wanted) {
                status.put("state", KubeRay.STATE_READY);
                Conditions.set(conditions, "RayClusterProvisioned", true, "AllPodRunningAndReadyFirstTime",
                        "All Ray Pods are ready for the first time", generation, clock.instant());
            }
        }
        status.put("conditions", conditions);
        StatusWriter.writeIfChanged(client, CustomKind.RAY_CLUSTER, cluster, status);
    }

    @Override
    public void close() {
        clusters.close();
        pods.close();
        queue.close();
    }
}
