package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GPUs a running pod holds on its node, per container and extended resource. Only pods that really
 * hold GPUs count: phase Running with a {@code status.startTime} (kwok sets it when it "starts" the pod)
 * on a node; a pending, finished or failed pod holds none, as on a real node.
 *
 * @param uid the pod's uid (a re-created pod of the same name is another pod)
 * @param nodeName the node it runs on
 * @param containers what each container asked for
 */
public record PodGpuDemand(String uid, String namespace, String name, String nodeName, WorkloadKey workload,
        List<ContainerDemand> containers) {

    /** One container's request of one GPU resource. */
    public record ContainerDemand(String container, String resource, int count) {
    }

    public PodGpuDemand {
        containers = List.copyOf(containers);
    }

    /** The pod's GPU holding, or empty if it holds no GPUs right now. */
    public static Optional<PodGpuDemand> of(Pod pod) {
        if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())
                || pod.getStatus().getStartTime() == null || pod.getSpec() == null
                || pod.getSpec().getNodeName() == null) {
            return Optional.empty();
        }
        List<ContainerDemand> demands = requests(pod);
        if (demands.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PodGpuDemand(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), pod.getSpec().getNodeName(), WorkloadKey.of(pod), demands));
    }

    /** GPU requests of a pod's containers (limits when there is no request: extended resources need both equal). */
    public static List<ContainerDemand> requests(Pod pod) {
        List<ContainerDemand> demands = new ArrayList<>();
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return demands;
        }
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getResources() == null) {
                continue;
            }
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            Set<String> names = new TreeSet<>();
            if (requests != null) {
                names.addAll(requests.keySet());
            }
            if (limits != null) {
                names.addAll(limits.keySet());
            }
            for (String resource : names) {
                if (!isGpuResource(resource)) {
                    continue;
                }
                Quantity q = requests != null && requests.containsKey(resource) ? requests.get(resource) : limits.get(resource);
                int count = q.getNumericalAmount().intValue();
                if (count > 0) {
                    demands.add(new ContainerDemand(container.getName(), resource, count));
                }
            }
        }
        return demands;
    }

    public static boolean isGpuResource(String resource) {
        return resource.equals(SimulatorLabels.GPU_RESOURCE) || resource.startsWith(MigProfile.RESOURCE_PREFIX);
    }

    public GpuHolder holder(String container) {
        return new GpuHolder(namespace, name, container, workload);
    }
}
