package dev.finops.operator.cluster;

import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.model.PendingPod;
import dev.finops.operator.model.PodOwner;
import dev.finops.operator.model.WorkloadKey;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps Kubernetes Nodes and Pods into the cost model's types. Pure. */
public final class ClusterMapping {

    private ClusterMapping() {
    }

    public static GpuNode node(Node node) {
        Map<String, String> labels = labelsOf(node.getMetadata().getLabels());
        Map<String, Quantity> resources = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if (resources == null || resources.isEmpty()) {
            resources = node.getStatus() == null ? null : node.getStatus().getCapacity();
        }
        return new GpuNode(node.getMetadata().getName(), labels, labels.get(GpuNode.INSTANCE_TYPE_LABEL),
                CapacityType.ofNodeLabels(labels), NodeGpus.of(gpuAmounts(resources), labels));
    }

    /** The pod in the cost model's terms, or empty when it requests no GPU. */
    public static Optional<GpuPod> gpuPod(Pod pod) {
        Map<String, Long> requests = gpuRequests(pod);
        if (requests.isEmpty()) {
            return Optional.empty();
        }
        Claimed claimed = claimedWorkload(pod);
        return Optional.of(new GpuPod(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), labelsOf(pod.getMetadata().getLabels()),
                pod.getSpec().getNodeName(), claimed.workload(), claimed.apiVersion(), start(pod), end(pod), requests,
                controllerOf(pod)));
    }

    /** The pod as GpuPool demand: an unscheduled pod that requests whole GPUs, or empty. */
    public static Optional<PendingPod> pendingPod(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() != null
                || (pod.getStatus() != null && !"Pending".equals(pod.getStatus().getPhase())
                        && pod.getStatus().getPhase() != null)) {
            return Optional.empty();
        }
        long gpus = gpuPod(pod)
                .map(gpuPod -> gpuPod.gpuRequests().getOrDefault(NodeGpus.GPU_RESOURCE, 0L)).orElse(0L);
        if (gpus <= 0) {
            return Optional.empty();
        }
        List<List<NodeSelectorRequirement>> terms = List.of();
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().stream()
                    .map(NodeSelectorTerm::getMatchExpressions)
                    .map(expressions -> expressions == null ? List.<NodeSelectorRequirement>of()
                            : List.copyOf(expressions))
                    .toList();
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        return Optional.of(new PendingPod(pod.getMetadata().getUid(), gpus,
                selector == null ? Map.of() : Map.copyOf(selector), terms));
    }

    /** GPU requests summed over the containers (limits stand in for requests, as the API server defaults them). */
    static Map<String, Long> gpuRequests(Pod pod) {
        Map<String, Long> total = new HashMap<>();
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        for (Container container : containers) {
            if (container.getResources() == null) {
                continue;
            }
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            Map<String, Quantity> effective = new HashMap<>(limits == null ? Map.of() : limits);
            if (requests != null) {
                effective.putAll(requests);
            }
            gpuAmounts(effective).forEach((resource, amount) -> total.merge(resource, amount, Long::sum));
        }
        total.values().removeIf(amount -> amount <= 0);
        return Map.copyOf(total);
    }

    private static Map<String, Long> gpuAmounts(Map<String, Quantity> resources) {
        Map<String, Long> gpus = new HashMap<>();
        if (resources != null) {
            resources.forEach((name, quantity) -> {
                if (NodeGpus.isGpuResource(name) && quantity != null) {
                    gpus.put(name, quantity.getNumericalAmount().longValue());
                }
            });
        }
        return gpus;
    }

    /** When the pod started running: status.startTime once it is bound and running or finished. */
    static Instant start(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getStartTime() == null
                || "Pending".equals(pod.getStatus().getPhase())) {
            return null;
        }
        return Instant.parse(pod.getStatus().getStartTime());
    }

    /** When a finished pod stopped: the latest container finishedAt; null while it runs. */
    static Instant end(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        String phase = pod.getStatus().getPhase();
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            return null;
        }
        Instant latest = null;
        List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
        for (ContainerStatus status : statuses == null ? List.<ContainerStatus>of() : statuses) {
            if (status.getState() != null && status.getState().getTerminated() != null
                    && status.getState().getTerminated().getFinishedAt() != null) {
                Instant finished = Instant.parse(status.getState().getTerminated().getFinishedAt());
                latest = latest == null || finished.isAfter(latest) ? finished : latest;
            }
        }
        Instant started = start(pod);
        return latest != null ? latest : started;
    }

    /** A workload a pod names: its kind, name and API version. */
    record Claimed(WorkloadKey workload, String apiVersion) {
    }

    /**
     * Label hints: a pod whose controller is {@code kind} and that carries {@code label} belongs to the workload of
     * that name (kind {@code topKind} in {@code topApiVersion}), one level above what its owner reference says.
     */
    private record Hint(String controllerKind, String label, String topKind, String topApiVersion) {
    }

    private static final List<Hint> HINTS = List.of(
            new Hint("Job", "jobset.sigs.k8s.io/jobset-name", "JobSet", "jobset.x-k8s.io/v1alpha2"),
            new Hint("StatefulSet", "leaderworkerset.sigs.k8s.io/name", "LeaderWorkerSet", "leaderworkerset.x-k8s.io/v1"));

    /**
     * The top-level workload a pod claims, from the pod alone (what cost is grouped by). A ReplicaSet created by a
     * Deployment is named {@code <deployment>-<pod-template-hash>}, which names the Deployment without another
     * lookup; the Jobs of a JobSet and the StatefulSets of a LeaderWorkerSet are named by the labels their
     * controllers put on the pods. What is acted on is decided from the live owner chain, verified (the workload
     * package), never from this claim.
     */
    static Claimed claimedWorkload(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        OwnerReference controller = owners == null ? null : owners.stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst()
                .orElse(owners.isEmpty() ? null : owners.get(0));
        if (controller == null) {
            return new Claimed(new WorkloadKey("Pod", pod.getMetadata().getName()), "v1");
        }
        Map<String, String> labels = labelsOf(pod.getMetadata().getLabels());
        String hash = labels.get("pod-template-hash");
        if ("ReplicaSet".equals(controller.getKind()) && hash != null && controller.getName().endsWith("-" + hash)) {
            return new Claimed(new WorkloadKey("Deployment",
                    controller.getName().substring(0, controller.getName().length() - hash.length() - 1)), "apps/v1");
        }
        for (Hint hint : HINTS) {
            String top = labels.get(hint.label());
            if (hint.controllerKind().equals(controller.getKind()) && top != null && !top.isBlank()) {
                return new Claimed(new WorkloadKey(hint.topKind(), top), hint.topApiVersion());
            }
        }
        return new Claimed(new WorkloadKey(controller.getKind(), controller.getName()), controller.getApiVersion());
    }

    private static PodOwner controllerOf(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners == null ? null : owners.stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst().map(o -> new PodOwner(o.getApiVersion(), o.getKind(), o.getName(), o.getUid()))
                .orElse(null);
    }

    static WorkloadKey workloadOf(Pod pod) {
        return claimedWorkload(pod).workload();
    }

    private static Map<String, String> labelsOf(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }
}
