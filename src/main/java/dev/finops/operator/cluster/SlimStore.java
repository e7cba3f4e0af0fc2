package dev.finops.operator.cluster;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's store cut down to what the operator reads. An informer keeps every object it watches, whole: a
 * pod in fabric8's model weighs about 21 KB (half of it managedFields), a real node more (its image list,
 * conditions, managedFields); a cluster of 20,000 pods would fill the operator's heap with objects it never
 * looks at again. {@link #gpuPods()} keeps only GPU pods (GPU requests never change on a pod), {@link #nodes()}
 * every node; each only with the fields {@link ClusterMapping} and the spot watch read, so that an object the
 * informer hands back (the old side of an update, a delete after a relist) maps the same. Events still carry
 * the full object.
 */
final class SlimStore<T extends HasMetadata> implements ItemStore<T> {

    private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final Predicate<T> keep;
    private final UnaryOperator<T> slim;

    private SlimStore(Predicate<T> keep, UnaryOperator<T> slim) {
        this.keep = keep;
        this.slim = slim;
    }

    /** GPU pods only, slimmed: about 5 KB each instead of 21. */
    static SlimStore<Pod> gpuPods() {
        return new SlimStore<>(pod -> !ClusterMapping.gpuRequests(pod).isEmpty(), SlimStore::slim);
    }

    /** Every node, with its labels, taints and resources only. */
    static SlimStore<Node> nodes() {
        return new SlimStore<>(node -> true, SlimStore::slim);
    }

    @Override
    public String getKey(T item) {
        return items.getKey(item);
    }

    @Override
    public T put(String key, T item) {
        return keep.test(item) ? items.put(key, slim.apply(item)) : items.remove(key);
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<T> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }

    /** Not every object, and not whole: the informer must not take what it holds for the cluster's state. */
    @Override
    public boolean isFullState() {
        return false;
    }

    /** The node with only its name, labels, taints and resources. */
    static Node slim(Node node) {
        ObjectMeta metadata = node.getMetadata();
        NodeBuilder slim = new NodeBuilder().withApiVersion(node.getApiVersion()).withKind(node.getKind())
                .withNewMetadata().withName(metadata.getName()).withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion()).withLabels(metadata.getLabels())
                .withDeletionTimestamp(metadata.getDeletionTimestamp()).endMetadata();
        if (node.getSpec() != null) {
            slim.withNewSpec().withTaints(node.getSpec().getTaints()).endSpec();
        }
        if (node.getStatus() != null) {
            slim.withNewStatus().withCapacity(node.getStatus().getCapacity())
                    .withAllocatable(node.getStatus().getAllocatable()).endStatus();
        }
        return slim.build();
    }

    /** The pod with only what {@link ClusterMapping} reads: identity, labels, owners, node, GPU requests, times, and
     * where it may land while it is unscheduled. */
    static Pod slim(Pod pod) {
        ObjectMeta metadata = pod.getMetadata();
        PodBuilder slim = new PodBuilder().withApiVersion(pod.getApiVersion()).withKind(pod.getKind())
                .withNewMetadata().withName(metadata.getName()).withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid()).withResourceVersion(metadata.getResourceVersion())
                .withLabels(metadata.getLabels()).withOwnerReferences(metadata.getOwnerReferences())
                .withDeletionTimestamp(metadata.getDeletionTimestamp()).endMetadata();
        if (pod.getSpec() != null) {
            boolean unscheduled = pod.getSpec().getNodeName() == null;
            slim.withNewSpec().withNodeName(pod.getSpec().getNodeName())
                    .withContainers(resourcesOnly(pod.getSpec().getContainers()))
                    // where an unscheduled pod may land is GpuPool demand; once bound it is never read again
                    .withNodeSelector(unscheduled ? pod.getSpec().getNodeSelector() : null)
                    .withAffinity(unscheduled ? nodeAffinityOnly(pod.getSpec().getAffinity()) : null)
                    .endSpec();
        }
        if (pod.getStatus() != null) {
            slim.withNewStatus().withPhase(pod.getStatus().getPhase()).withStartTime(pod.getStatus().getStartTime())
                    .withContainerStatuses(statesOnly(pod.getStatus().getContainerStatuses())).endStatus();
        }
        return slim.build();
    }

    private static Affinity nodeAffinityOnly(Affinity affinity) {
        return affinity == null || affinity.getNodeAffinity() == null ? null
                : new AffinityBuilder().withNodeAffinity(affinity.getNodeAffinity()).build();
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
