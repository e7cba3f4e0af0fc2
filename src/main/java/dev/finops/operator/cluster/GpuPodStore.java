package dev.finops.operator.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pod informer's store, cut down to what the cost model reads. An informer keeps every object it watches,
 * and a pod in fabric8's model weighs about 21 KB (half of it managedFields): a cluster of 20,000 pods would
 * fill the operator's heap with objects it never looks at again. This store keeps only GPU pods (GPU requests
 * never change on a pod), and of each only the fields {@link ClusterMapping} reads, so that a pod the informer
 * hands back (on a delete after a relist) maps to the same {@link GpuPod}. Events still carry the full object.
 */
final class GpuPodStore implements ItemStore<Pod> {

    private final BasicItemStore<Pod> pods = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

    @Override
    public String getKey(Pod pod) {
        return pods.getKey(pod);
    }

    @Override
    public Pod put(String key, Pod pod) {
        return ClusterMapping.gpuRequests(pod).isEmpty() ? pods.remove(key) : pods.put(key, slim(pod));
    }

    @Override
    public Pod remove(String key) {
        return pods.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return pods.keySet();
    }

    @Override
    public Stream<Pod> values() {
        return pods.values();
    }

    @Override
    public int size() {
        return pods.size();
    }

    @Override
    public Pod get(String key) {
        return pods.get(key);
    }

    /** Not every pod, and not whole: the informer must not take what it holds for the cluster's state. */
    @Override
    public boolean isFullState() {
        return false;
    }

    /** The pod with only what {@link ClusterMapping} reads: identity, labels, owners, node, GPU requests, times. */
    static Pod slim(Pod pod) {
        ObjectMeta metadata = pod.getMetadata();
        PodBuilder slim = new PodBuilder().withApiVersion(pod.getApiVersion()).withKind(pod.getKind())
                .withNewMetadata().withName(metadata.getName()).withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid()).withResourceVersion(metadata.getResourceVersion())
                .withLabels(metadata.getLabels()).withOwnerReferences(metadata.getOwnerReferences())
                .withDeletionTimestamp(metadata.getDeletionTimestamp()).endMetadata();
        if (pod.getSpec() != null) {
            slim.withNewSpec().withNodeName(pod.getSpec().getNodeName())
                    .withContainers(resourcesOnly(pod.getSpec().getContainers())).endSpec();
        }
        if (pod.getStatus() != null) {
            slim.withNewStatus().withPhase(pod.getStatus().getPhase()).withStartTime(pod.getStatus().getStartTime())
                    .withContainerStatuses(statesOnly(pod.getStatus().getContainerStatuses())).endStatus();
        }
        return slim.build();
    }

    private static List<Container> resourcesOnly(List<Container> containers) {
        return containers == null ? null : containers.stream()
                .map(c -> new ContainerBuilder().withName(c.getName()).withResources(c.getResources()).build())
                .toList();
    }

    private static List<ContainerStatus> statesOnly(List<ContainerStatus> statuses) {
        return statuses == null ? null : statuses.stream()
                .map(s -> new ContainerStatusBuilder().withName(s.getName()).withState(s.getState()).build())
                .toList();
    }
}
