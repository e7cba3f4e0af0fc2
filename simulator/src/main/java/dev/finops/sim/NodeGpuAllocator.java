package dev.finops.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the kubelet's device manager for one node: gives each running container the GPU slots it asked
 * for and keeps them until the pod goes away, so a pod's {@code gpu} / {@code UUID} labels never change
 * during its life. Free slots are taken in the layout's order (lowest GPU index first); a slot freed by a
 * finished pod is reused by the next one. Not thread-safe: {@link GpuFleet} guards it.
 */
final class NodeGpuAllocator {

    private final NodeGpuLayout layout;
    private final Map<GpuSlot, GpuHolder> holders = new HashMap<>();
    private final Map<String, List<GpuSlot>> slotsByPod = new HashMap<>();

    NodeGpuAllocator(NodeGpuLayout layout) {
        this.layout = layout;
    }

    NodeGpuLayout layout() {
        return layout;
    }

    /**
     * The slots of a pod, assigned now if it holds none yet. A pod asking for more than is free gets what
     * is free (the scheduler would not have placed it; the node's status may have changed under it).
     */
    List<GpuSlot> assign(PodGpuDemand pod) {
        List<GpuSlot> held = slotsByPod.get(pod.uid());
        if (held != null) {
            return held;
        }
        List<GpuSlot> assigned = new ArrayList<>();
        for (PodGpuDemand.ContainerDemand demand : pod.containers()) {
            GpuHolder holder = pod.holder(demand.container());
            int wanted = demand.count();
            for (GpuSlot slot : layout.slots(demand.resource())) {
                if (wanted == 0) {
                    break;
                }
                if (!holders.containsKey(slot)) {
                    holders.put(slot, holder);
                    assigned.add(slot);
                    wanted--;
                }
            }
        }
        List<GpuSlot> result = List.copyOf(assigned);
        slotsByPod.put(pod.uid(), result);
        return result;
    }

    void release(String podUid) {
        List<GpuSlot> held = slotsByPod.remove(podUid);
        if (held != null) {
            held.forEach(holders::remove);
        }
    }

    boolean holds(String podUid) {
        return slotsByPod.containsKey(podUid);
    }

    /** The container holding a slot, or null if it is free. */
    GpuHolder holderOf(GpuSlot slot) {
        return holders.get(slot);
    }

    int allocatedSlots() {
        return holders.size();
    }
}
