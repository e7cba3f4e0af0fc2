package dev.finops.operator.cluster;

import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster as the cost model needs it, kept current by informers: GPU nodes by name and GPU pods indexed
 * by namespace and label. A pod deleted before it reported an end keeps costing until the moment its
 * deletion was observed; that end is kept for {@link #TOMBSTONE_TTL} so every budget can accrue it.
 */
@ApplicationScoped
public class ClusterView {

    static final Duration TOMBSTONE_TTL = Duration.ofHours(1);
    /** Pods per page of the informer's list: a large cluster is not read in one response. */
    private static final long PAGE = 500;

    private final KubernetesClient client;
    private final Clock clock;
    private final PodIndex pods = new PodIndex();
    private final Map<String, GpuNode> nodes = new ConcurrentHashMap<>();
    private final Map<String, GpuPod> tombstones = new ConcurrentHashMap<>();
    private final PodIndex deletedPods = new PodIndex();
    private final Map<String, GpuNode> deletedNodes = new ConcurrentHashMap<>();
    private final Map<String, Instant> nodeDeletedAt = new ConcurrentHashMap<>();
    private final AtomicLong nodeVersion = new AtomicLong();
    private volatile NodeSnapshot nodeSnapshot = new NodeSnapshot(-1, Map.of());
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<Node> nodeInformer;
    private final List<ResourceEventHandler<Node>> nodeListeners = new ArrayList<>();

    public ClusterView(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    synchronized void start(@Observes StartupEvent event) {
        nodeInformer = client.nodes().runnableInformer(0).itemStore(SlimStore.nodes())
                .addEventHandler(new NodeHandler()).run();
        nodeListeners.forEach(nodeInformer::addEventHandler);
        // listed in pages; the store keeps GPU pods only, slimmed (see SlimStore); our own index replaces the
        // informer's namespace index
        podInformer = client.pods().inAnyNamespace().withLimit(PAGE).runnableInformer(0)
                .itemStore(SlimStore.gpuPods()).removeNamespaceIndex()
                .addEventHandler(new PodHandler()).run();
    }

    /**
     * Lets another part of the operator hear node events from this view's informer, rather than keeping a second
     * cache of every Node and a second watch. A listener added after the start first hears every node as added.
     */
    public synchronized void addNodeListener(ResourceEventHandler<Node> listener) {
        nodeListeners.add(listener);
        if (nodeInformer != null) {
            nodeInformer.addEventHandler(listener);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (podInformer != null) {
            podInformer.close();
        }
        if (nodeInformer != null) {
            nodeInformer.close();
        }
    }

    public boolean synced() {
        return podInformer != null && podInformer.hasSynced() && nodeInformer != null && nodeInformer.hasSynced();
    }

    /** The GPU pods of a namespace that a selector matches, including recently deleted ones. */
    public List<GpuPod> podsMatching(String namespace, LabelSelectorMatcher selector) {
        List<GpuPod> live = pods.select(namespace, selector);
        List<GpuPod> gone = deletedPods.select(namespace, selector);
        if (gone.isEmpty()) {
            return live;
        }
        List<GpuPod> selected = new ArrayList<>(live);
        selected.addAll(gone);
        return selected;
    }

    public List<GpuPod> allPods() {
        List<GpuPod> all = new java.util.ArrayList<>(pods.all());
        all.addAll(tombstones.values());
        return all;
    }

    /** The nodes that exist now. */
    public Collection<GpuNode> nodes() {
        return nodes.values();
    }

    /**
     * Nodes by name, with the recently deleted ones: pods of an interrupted spot node are costed up to their
     * end at the price of the node they ran on.
     */
    public Map<String, GpuNode> nodesForCost() {
        NodeSnapshot current = nodeSnapshot;
        long version = nodeVersion.get();
        if (current.version() == version) {
            return current.nodes();
        }
        Map<String, GpuNode> all = new java.util.HashMap<>(deletedNodes);
        all.putAll(nodes);
        nodeSnapshot = new NodeSnapshot(version, Map.copyOf(all));
        return nodeSnapshot.nodes();
    }

    private record NodeSnapshot(long version, Map<String, GpuNode> nodes) {
    }

    /** Bumps on every node change, so derived views (prices by node) are rebuilt only when needed. */
    public long nodeVersion() {
        return nodeVersion.get();
    }

    private void pruneTombstones(Instant now) {
        Instant horizon = now.minus(TOMBSTONE_TTL);
        tombstones.values().removeIf(pod -> {
            boolean expired = pod.end() != null && pod.end().isBefore(horizon);
            if (expired) {
                deletedPods.remove(pod.namespace(), pod.uid());
            }
            return expired;
        });
        nodeDeletedAt.entrySet().removeIf(entry -> {
            boolean expired = entry.getValue().isBefore(horizon);
            if (expired) {
                deletedNodes.remove(entry.getKey());
                nodeVersion.incrementAndGet();
            }
            return expired;
        });
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            ClusterMapping.gpuPod(pod).ifPresent(pods::put);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            ClusterMapping.gpuPod(after).ifPresentOrElse(pods::put,
                    () -> pods.remove(after.getMetadata().getNamespace(), after.getMetadata().getUid()));
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            Instant now = clock.instant();
            pods.remove(pod.getMetadata().getNamespace(), pod.getMetadata().getUid());
            ClusterMapping.gpuPod(pod)
                    .filter(gpuPod -> gpuPod.start() != null)
                    .map(gpuPod -> gpuPod.end() == null ? gpuPod.withEnd(now) : gpuPod)
                    .ifPresent(gone -> {
                        tombstones.put(gone.uid(), gone);
                        deletedPods.put(gone);
                    });
            pruneTombstones(now);
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {

        @Override
        public void onAdd(Node node) {
            nodes.put(node.getMetadata().getName(), ClusterMapping.node(node));
            nodeVersion.incrementAndGet();
        }

        @Override
        public void onUpdate(Node before, Node after) {
            GpuNode mapped = ClusterMapping.node(after);
            if (!mapped.equals(nodes.put(after.getMetadata().getName(), mapped))) {
                nodeVersion.incrementAndGet();
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            String name = node.getMetadata().getName();
            GpuNode gone = nodes.remove(name);
            if (gone != null) {
                deletedNodes.put(name, gone);
                nodeDeletedAt.put(name, clock.instant());
            }
            nodeVersion.incrementAndGet();
            pruneTombstones(clock.instant());
        }
    }
}
