package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The GPUs of one node and the slots they offer, read from the Node object alone (labels and allocatable,
 * as GPU Feature Discovery and the device plugin publish them). Reading it back from the Node rather than
 * from the simulator's own description means any kwok node with NVIDIA labels can be served, and a
 * restarted simulator rebuilds exactly the same layout.
 *
 * <p>Physical GPUs are numbered MIG-partitioned first (smallest profile first), then whole GPUs; a
 * time-sliced GPU offers {@code nvidia.com/gpu.replicas} slots.
 */
public final class NodeGpuLayout {

    /** Order of MIG profiles on a node: smaller instances first. */
    public static final Comparator<MigProfile> MIG_ORDER = Comparator.comparingInt(MigProfile::slices)
            .thenComparingInt(MigProfile::memoryGb).thenComparing(MigProfile::name);

    private final String nodeName;
    private final String modelName;
    private final List<GpuDevice> gpus;
    private final Map<String, List<GpuSlot>> slotsByResource;
    private final List<GpuSlot> slots;

    private NodeGpuLayout(String nodeName, String modelName, List<GpuDevice> gpus,
            Map<String, List<GpuSlot>> slotsByResource) {
        this.nodeName = nodeName;
        this.modelName = modelName;
        this.gpus = List.copyOf(gpus);
        Map<String, List<GpuSlot>> copy = new LinkedHashMap<>();
        slotsByResource.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.slotsByResource = Collections.unmodifiableMap(copy);
        List<GpuSlot> all = new ArrayList<>();
        slotsByResource.values().forEach(all::addAll);
        all.sort(Comparator.comparingInt(GpuSlot::gpuIndex).thenComparingInt(GpuSlot::gpuInstanceId)
                .thenComparingInt(GpuSlot::replica));
        this.slots = List.copyOf(all);
    }

    /** The layout of a Node; empty (no GPUs) when it advertises none. */
    public static NodeGpuLayout of(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Map<String, String> annotations = node.getMetadata().getAnnotations() == null
                ? Map.of() : node.getMetadata().getAnnotations();
        Map<String, Quantity> allocatable = node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if (allocatable == null || allocatable.isEmpty()) {
            allocatable = node.getStatus() == null || node.getStatus().getCapacity() == null
                    ? Map.of() : node.getStatus().getCapacity();
        }
        Map<String, Integer> resources = new TreeMap<>();
        allocatable.forEach((name, quantity) -> {
            if (name.equals(SimulatorLabels.GPU_RESOURCE) || name.startsWith(MigProfile.RESOURCE_PREFIX)) {
                resources.put(name, quantity.getNumericalAmount().intValue());
            }
        });
        String product = labels.getOrDefault(SimulatorLabels.GPU_PRODUCT, "");
        GpuModel model = GpuModel.byProductLabel(product).orElse(null);
        String modelName = annotations.getOrDefault(SimulatorLabels.GPU_MODEL_NAME_ANNOTATION,
                model != null ? model.modelName() : product.replace('-', ' '));
        int migMemoryGb = model != null ? model.migMemoryGb()
                : (int) Math.round(parseInt(labels.get(SimulatorLabels.GPU_MEMORY), 0) / 1024.0);
        int replicas = Math.max(1, parseInt(labels.get(SimulatorLabels.GPU_REPLICAS), 1));
        return of(node.getMetadata().getName(), modelName, migMemoryGb, resources, replicas);
    }

    /**
     * The layout of a node offering {@code resources} (extended resource name to allocatable count).
     *
     * @param migMemoryGb the nominal GPU memory MIG profiles are cut from (0 = unknown)
     * @param replicas time-slicing replicas per whole GPU (1 = not shared)
     */
    public static NodeGpuLayout of(String nodeName, String modelName, int migMemoryGb, Map<String, Integer> resources,
            int replicas) {
        List<GpuDevice> gpus = new ArrayList<>();
        Map<String, List<GpuSlot>> slots = new LinkedHashMap<>();
        List<MigProfile> profiles = resources.keySet().stream()
                .map(MigProfile::ofResource).filter(Objects::nonNull).sorted(MIG_ORDER).toList();
        for (MigProfile profile : profiles) {
            int remaining = resources.get(profile.resourceName());
            int perGpu = profile.instancesPerGpu(migMemoryGb);
            List<GpuSlot> profileSlots = new ArrayList<>();
            while (remaining > 0) {
                int index = gpus.size();
                gpus.add(GpuDevice.of(nodeName, index));
                for (int n = 0; n < perGpu && remaining > 0; n++, remaining--) {
                    profileSlots.add(GpuSlot.migInstance(index, profile, n));
                }
            }
            slots.put(profile.resourceName(), profileSlots);
        }
        int advertised = resources.getOrDefault(SimulatorLabels.GPU_RESOURCE, 0);
        if (advertised > 0) {
            int first = gpus.size();
            int whole = (advertised + replicas - 1) / replicas;
            for (int i = 0; i < whole; i++) {
                gpus.add(GpuDevice.of(nodeName, first + i));
            }
            List<GpuSlot> gpuSlots = new ArrayList<>();
            if (replicas == 1) {
                for (int i = 0; i < whole; i++) {
                    gpuSlots.add(GpuSlot.whole(first + i));
                }
            } else {
                // The kubelet hands out shared replicas spread over the GPUs before doubling up.
                for (int r = 0; r < replicas; r++) {
                    for (int i = 0; i < whole && gpuSlots.size() < advertised; i++) {
                        gpuSlots.add(GpuSlot.shared(first + i, r));
                    }
                }
            }
            slots.put(SimulatorLabels.GPU_RESOURCE, gpuSlots);
        }
        return new NodeGpuLayout(nodeName, modelName, gpus, slots);
    }

    private static int parseInt(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public String nodeName() {
        return nodeName;
    }

    public String modelName() {
        return modelName;
    }

    public List<GpuDevice> gpus() {
        return gpus;
    }

    public GpuDevice gpu(int index) {
        return gpus.get(index);
    }

    /** Slots of one extended resource, in the order the kubelet hands them out. */
    public List<GpuSlot> slots(String resource) {
        return slotsByResource.getOrDefault(resource, List.of());
    }

    /** Every slot, ordered by GPU index, then MIG instance or replica: the order of the metric series. */
    public List<GpuSlot> slots() {
        return slots;
    }

    public boolean hasGpus() {
        return !gpus.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeGpuLayout other && nodeName.equals(other.nodeName) && modelName.equals(other.modelName)
                && gpus.equals(other.gpus) && slotsByResource.equals(other.slotsByResource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeName, modelName, gpus, slotsByResource);
    }

    @Override
    public String toString() {
        return nodeName + " " + gpus.size() + "x " + modelName + " " + slotsByResource.keySet();
    }
}
