package dev.finops.sim;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The simulator's writes to the API server: nodes appear and disappear, workloads are created, scaled and
 * removed, spot nodes get interrupted. Every write is create-or-replace, so a scenario can be re-run against
 * a cluster that already holds its objects.
 *
 * <p>There is no kubelet: when a node goes away nothing would ever finish its pods, so {@link #removeNode}
 * force-deletes them as a node's death does in a real cluster (their controllers re-create them elsewhere).
 */
public final class SimulatedCluster {

    private static final String FIELD_MANAGER = "gpu-finops-simulator";

    private final KubernetesClient client;

    public SimulatedCluster(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    /**
     * Fails with a hint when the API server cannot be reached (no KUBECONFIG, cluster down), before a main
     * starts informers that would otherwise retry quietly for minutes.
     */
    public static void requireReachable(KubernetesClient client) {
        try {
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot reach the Kubernetes API at " + client.getMasterUrl() + " ("
                    + (e.getCause() != null ? e.getCause() : e.getMessage()) + "); is the local cluster up and "
                    + "KUBECONFIG set? hack/local-cluster.sh up && eval \"$(hack/local-cluster.sh env)\"", e);
        }
    }

    public void ensureNamespace(String name, Map<String, String> labels) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /**
     * Creates the node unless one of that name exists (a node's capacity is only taken on create, so an
     * existing node is left as it is). Returns true if it was created now.
     */
    public boolean createNode(SimulatedGpuNode node) {
        Node existing = client.nodes().withName(node.name()).get();
        if (existing != null && existing.getMetadata().getDeletionTimestamp() == null) {
            return false;
        }
        try {
            client.resource(node.toNode()).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Creates or updates a workload. Deployments and CronJobs are server-side applied; a Job's pod template
     * is immutable, so an existing Job of that name (from an earlier run) is deleted and created anew.
     */
    public void apply(GpuWorkload workload) {
        HasMetadata resource = workload.toResource();
        if (workload.kind() == GpuWorkload.Kind.JOB) {
            replaceJob((Job) resource);
        } else {
            client.resource(resource).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
    }

    private void replaceJob(Job job) {
        var jobs = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (jobs.withName(job.getMetadata().getName()).get() != null) {
                jobs.withName(job.getMetadata().getName()).withPropagationPolicy(
                        DeletionPropagation.BACKGROUND).delete();
            }
            try {
                jobs.resource(job).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    public void scaleDeployment(String namespace, String name, int replicas) {
        client.apps().deployments().inNamespace(namespace).withName(name).scale(replicas);
    }

    public void deleteWorkload(GpuWorkload workload) {
        client.resource(workload.toResource()).withPropagationPolicy(
                DeletionPropagation.BACKGROUND).delete();
    }

    /**
     * What Karpenter does first when it takes a node away (spot interruption notice, consolidation): taints
     * it {@code karpenter.sh/disrupted:NoSchedule} so nothing new lands there. Returns false if the node is gone.
     */
    public boolean markDisrupted(String nodeName) {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null) {
            return false;
        }
        List<Taint> taints = new ArrayList<>(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints());
        if (taints.stream().noneMatch(t -> SimulatorLabels.KARPENTER_DISRUPTED_TAINT.equals(t.getKey()))) {
            taints.add(new TaintBuilder().withKey(SimulatorLabels.KARPENTER_DISRUPTED_TAINT)
                    .withEffect("NoSchedule").build());
            String patch = client.getKubernetesSerialization().asJson(Map.of("spec", Map.of("taints", taints)));
            client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
        }
        return true;
    }

    /**
     * The node is gone (spot reclaimed, scaled in): deletes the Node, then force-deletes the pods bound to
     * it, since no kubelet will ever report them stopped. Returns how many pods were removed.
     */
    public int removeNode(String nodeName) {
        client.nodes().withName(nodeName).withGracePeriod(0).delete();
        List<Pod> pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems();
        for (Pod pod : pods) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
        }
        return pods.size();
    }

    /** Names of the nodes a scenario created that still exist. */
    public List<String> nodesOf(String scenario) {
        return client.nodes().withLabel(SimulatorLabels.SCENARIO, scenario).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).sorted().toList();
    }

    /** Removes a scenario's nodes (with their pods) and namespaces (with everything in them). */
    public void deleteScenario(String scenario, List<String> namespaces) {
        for (String node : nodesOf(scenario)) {
            removeNode(node);
        }
        for (String namespace : namespaces) {
            client.namespaces().withName(namespace).delete();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
