package dev.finops.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which container holds which GPU slot on every simulated node: the state behind the DCGM endpoint, fed
 * incrementally by node and pod events ({@link ClusterGpuWatcher}) so that a scrape only walks the GPUs
 * (its own output), never nodes x pods.
 *
 * <p>Pods may be seen before their node (informers start independently); they wait per node name and get
 * their slots when the node appears. A node that changes layout (deleted and re-created differently)
 * re-assigns its pods. All methods are synchronized: events arrive on informer threads, scrapes on the
 * HTTP server's.
 */
public final class GpuFleet {

    private final Map<String, NodeGpuAllocator> nodes = new TreeMap<>();
    private final Map<String, Map<String, PodGpuDemand>> podsByNode = new HashMap<>();
    private final Map<String, String> nodeOfPod = new HashMap<>();

    /** Adds or updates a node. Unchanged layouts (the usual node status update) change nothing. */
    public synchronized void upsertNode(NodeGpuLayout layout) {
        NodeGpuAllocator existing = nodes.get(layout.nodeName());
        if (existing != null && existing.layout().equals(layout)) {
            return;
        }
        if (!layout.hasGpus()) {
            nodes.remove(layout.nodeName());
            return;
        }
        NodeGpuAllocator allocator = new NodeGpuAllocator(layout);
        nodes.put(layout.nodeName(), allocator);
        podsByNode.getOrDefault(layout.nodeName(), Map.of()).values().stream()
                .sorted(Comparator.comparing(PodGpuDemand::uid))
                .forEach(allocator::assign);
    }

    public synchronized void removeNode(String nodeName) {
        nodes.remove(nodeName);
    }

    /** Records that a pod holds GPUs now (idempotent: a pod keeps its slots across updates). */
    public synchronized void upsertPod(PodGpuDemand pod) {
        String previousNode = nodeOfPod.put(pod.uid(), pod.nodeName());
        if (previousNode != null && !previousNode.equals(pod.nodeName())) {
            forget(pod.uid(), previousNode);
        }
        podsByNode.computeIfAbsent(pod.nodeName(), n -> new HashMap<>()).put(pod.uid(), pod);
        NodeGpuAllocator allocator = nodes.get(pod.nodeName());
        if (allocator != null) {
            allocator.assign(pod);
        }
    }

    /** A pod stopped holding GPUs (finished, failed, deleted): its slots become free. */
    public synchronized void removePod(String podUid) {
        String node = nodeOfPod.remove(podUid);
        if (node != null) {
            forget(podUid, node);
        }
    }

    private void forget(String podUid, String node) {
        Map<String, PodGpuDemand> pods = podsByNode.get(node);
        if (pods != null) {
            pods.remove(podUid);
            if (pods.isEmpty()) {
                podsByNode.remove(node);
            }
        }
        NodeGpuAllocator allocator = nodes.get(node);
        if (allocator != null) {
            allocator.release(podUid);
        }
    }

    /** The slots a pod holds now, or empty if its node is unknown or it holds none. */
    public synchronized Optional<List<GpuSlot>> slotsOf(String podUid) {
        String node = nodeOfPod.get(podUid);
        NodeGpuAllocator allocator = node == null ? null : nodes.get(node);
        if (allocator == null || !allocator.holds(podUid)) {
            return Optional.empty();
        }
        return Optional.of(allocator.assign(podsByNode.get(node).get(podUid)));
    }

    public synchronized int nodeCount() {
        return nodes.size();
    }

    /** Running GPU pods known, on simulated nodes or not (yet). */
    public synchronized int podCount() {
        return nodeOfPod.size();
    }

    public synchronized int gpuCount() {
        return nodes.values().stream().mapToInt(n -> n.layout().gpus().size()).sum();
    }

    public synchronized int allocatedSlots() {
        return nodes.values().stream().mapToInt(NodeGpuAllocator::allocatedSlots).sum();
    }

    /**
     * Every series dcgm-exporter would show now, nodes by name, GPUs by index: a whole GPU or MIG instance
     * is one series (empty pod labels when free); a time-sliced GPU is one series per sharing pod, all with
     * the GPU's total utilisation (what the hardware counter sees), or one empty series when nobody uses it.
     */
    public synchronized List<GpuSeries> series(UtilisationModel model, Instant now) {
        List<GpuSeries> series = new ArrayList<>();
        for (NodeGpuAllocator allocator : nodes.values()) {
            NodeGpuLayout layout = allocator.layout();
            List<GpuSlot> slots = layout.slots();
            int i = 0;
            while (i < slots.size()) {
                int gpuIndex = slots.get(i).gpuIndex();
                int end = i;
                while (end < slots.size() && slots.get(end).gpuIndex() == gpuIndex) {
                    end++;
                }
                addGpu(series, layout, allocator, slots.subList(i, end), model, now);
                i = end;
            }
        }
        return series;
    }

    private static void addGpu(List<GpuSeries> out, NodeGpuLayout layout, NodeGpuAllocator allocator,
            List<GpuSlot> slots, UtilisationModel model, Instant now) {
        GpuDevice gpu = layout.gpu(slots.get(0).gpuIndex());
        if (!slots.get(0).isShared()) {
            for (GpuSlot slot : slots) {
                GpuHolder holder = allocator.holderOf(slot);
                double util = holder == null ? 0 : model.utilisation(holder, gpu.index(), now);
                out.add(new GpuSeries(layout.nodeName(), gpu, layout.modelName(), slot, holder, util));
            }
            return;
        }
        List<GpuSlot> held = new ArrayList<>();
        double total = 0;
        for (GpuSlot slot : slots) {
            GpuHolder holder = allocator.holderOf(slot);
            if (holder != null) {
                held.add(slot);
                total += model.utilisation(holder, gpu.index(), now);
            }
        }
        if (held.isEmpty()) {
            out.add(new GpuSeries(layout.nodeName(), gpu, layout.modelName(), slots.get(0), null, 0));
            return;
        }
        double util = UtilisationProfile.clamp(total);
        for (GpuSlot slot : held) {
            out.add(new GpuSeries(layout.nodeName(), gpu, layout.modelName(), slot, allocator.holderOf(slot), util));
        }
    }
}
