package dev.finops.operator.cluster;

import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.PendingPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster as the cost model needs it, kept current by the operator's one pod informer and one node informer:
 * GPU nodes by name, GPU pods indexed by namespace and label, and the unscheduled GPU pods (GpuPool demand). Both
 * controllers hear its changes through their own event sources ({@link #subscribe}); the informers run while at
 * least one of them does. A pod deleted before it reported an end keeps costing until the moment its
 * deletion was observed; that end is kept for {@link #TOMBSTONE_TTL} so every budget can accrue it. A deleted node
 * is kept as long too, and beyond while a pod on it is still being accrued, so such a pod keeps its node's price.
 */
@ApplicationScoped
public class ClusterView {

    static final Duration TOMBSTONE_TTL = Duration.ofHours(1);
    /** Pods per page of the informer's list: a large cluster is not read in one response. */
    private static final long PAGE = 500;

    private final KubernetesClient client;
    private final Clock clock;
    private final ApiReachability reachability;
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
    private final Map<String, PendingPod> pending = new ConcurrentHashMap<>();
    private final Subscribers<ClusterListener> subscribers = new Subscribers<>(this::start, this::stop);

    public ClusterView(KubernetesClient client, Clock clock, ApiReachability reachability) {
        this.client = client;
        this.clock = clock;
        this.reachability = reachability;
    }

    /** Lets an event source hear every change; the first subscriber starts the informers and waits for their list. */
    public void subscribe(ClusterListener listener) {
        subscribers.add(listener);
    }

    /** The last subscriber to leave stops the informers. */
    public void unsubscribe(ClusterListener listener) {
        subscribers.remove(listener);
    }

    private synchronized void start() {
        nodeInformer = client.nodes().runnableInformer(0).itemStore(SlimStore.nodes())
                .addEventHandler(new NodeHandler());
        nodeInformer.exceptionHandler(this::listOrWatchFailed);
        nodeInformer.run();
        nodeListeners.forEach(nodeInformer::addEventHandler);
        // listed in pages; the store keeps GPU pods only, slimmed (see SlimStore); our own index replaces the
        // informer's namespace index
        podInformer = client.pods().inAnyNamespace().withLimit(PAGE).runnableInformer(0)
                .itemStore(SlimStore.gpuPods()).removeNamespaceIndex()
                .addEventHandler(new PodHandler());
        podInformer.exceptionHandler(this::listOrWatchFailed);
        podInformer.run();
    }

    /**
     * A failed list or watch is evidence of an API outage, which holds ledgers back (see {@link ApiOutage}); the
     * informer then does what fabric8 does by default: retries once it has started.
     */
    private boolean listOrWatchFailed(boolean started, Throwable failure) {
        if (ApiReachability.unanswered(failure)) {
            reachability.failed(failure);
        }
        return started && !(failure instanceof io.fabric8.kubernetes.client.WatcherException);
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

    private synchronized void stop() {
        if (podInformer != null) {
            podInformer.close();
            podInformer = null;
        }
        if (nodeInformer != null) {
            nodeInformer.close();
            nodeInformer = null;
        }
    }

    /** What the operator knows of whether the API server answers, which bounds accrual after an outage. */
    public ApiReachability reachability() {
        return reachability;
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

    /** The GPU pods waiting for a node. */
    public Collection<PendingPod> pendingPods() {
        return pending.values();
    }

    /** A node that exists now, or was deleted within the last hour; null when unknown. */
    public GpuNode node(String name) {
        return name == null ? null : nodesForCost().get(name);
    }

    /** The GPU pods, live or recently deleted, that run or ran on a node. */
    public List<GpuPod> podsOn(String nodeName) {
        return allPods().stream().filter(pod -> nodeName.equals(pod.nodeName())).toList();
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
            boolean expired = entry.getValue().isBefore(horizon) && !stillCharged(entry.getKey(), horizon);
            if (expired) {
                deletedNodes.remove(entry.getKey());
                nodeVersion.incrementAndGet();
            }
            return expired;
        });
    }

    /**
     * A deleted node keeps its last known price while a pod on it still runs or ended within the horizon: its cost
     * is still being accrued. Looked at only for deleted nodes past the horizon, which are few.
     */
    private boolean stillCharged(String nodeName, Instant horizon) {
        return allPods().stream().anyMatch(pod -> nodeName.equals(pod.nodeName())
                && (pod.end() == null || !pod.end().isBefore(horizon)));
    }

    private final class PodHandler implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            GpuPod added = ClusterMapping.gpuPod(pod).orElse(null);
            if (added != null) {
                pods.put(added);
                subscribers.notify(listener -> listener.podChanged(null, added));
            }
            trackPending(pod);
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            GpuPod old = ClusterMapping.gpuPod(before).orElse(null);
            GpuPod now = ClusterMapping.gpuPod(after).orElse(null);
            if (now != null) {
                pods.put(now);
            } else {
                pods.remove(after.getMetadata().getNamespace(), after.getMetadata().getUid());
            }
            if (!Objects.equals(old, now)) {
                subscribers.notify(listener -> listener.podChanged(old, now));
            }
            trackPending(after);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            Instant now = clock.instant();
            pods.remove(pod.getMetadata().getNamespace(), pod.getMetadata().getUid());
            GpuPod old = ClusterMapping.gpuPod(pod).orElse(null);
            GpuPod gone = old == null || old.start() == null ? null : old.end() == null ? old.withEnd(now) : old;
            if (gone != null) {
                tombstones.put(gone.uid(), gone);
                deletedPods.put(gone);
            }
            if (old != null) {
                subscribers.notify(listener -> listener.podChanged(old, gone));
            }
            PendingPod wasPending = pending.remove(pod.getMetadata().getUid());
            if (wasPending != null) {
                subscribers.notify(listener -> listener.pendingPodChanged(wasPending, null));
            }
            pruneTombstones(now);
        }

        private void trackPending(Pod pod) {
            String uid = pod.getMetadata().getUid();
            PendingPod now = ClusterMapping.pendingPod(pod).orElse(null);
            PendingPod old = now == null ? pending.remove(uid) : pending.put(uid, now);
            if (!Objects.equals(old, now)) {
                subscribers.notify(listener -> listener.pendingPodChanged(old, now));
            }
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {

        @Override
        public void onAdd(Node node) {
            GpuNode added = ClusterMapping.node(node);
            GpuNode old = nodes.put(node.getMetadata().getName(), added);
            nodeVersion.incrementAndGet();
            subscribers.notify(listener -> listener.nodeChanged(old, added));
        }

        @Override
        public void onUpdate(Node before, Node after) {
            GpuNode mapped = ClusterMapping.node(after);
            GpuNode old = nodes.put(after.getMetadata().getName(), mapped);
            if (!mapped.equals(old)) {
                nodeVersion.incrementAndGet();
                subscribers.notify(listener -> listener.nodeChanged(old, mapped));
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
            if (gone != null) {
                subscribers.notify(listener -> listener.nodeChanged(gone, null));
            }
        }
    }
}
