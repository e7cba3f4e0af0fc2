package dev.finops.operator.model;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node offers in GPUs: its physical GPUs, the {@code nvidia.com/gpu} slots the device plugin
 * advertises (physical x replicas when GPUs are time-sliced), and its MIG slices by profile.
 */
public record NodeGpus(int physical, long slots, Map<String, Long> migSlices) {

    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final Pattern MIG = Pattern.compile("^nvidia\\.com/mig-(\\d)g\\.\\d+gb.*$");
    /** A GPU has seven compute slices under MIG (A100, H100). */
    static final int MIG_COMPUTE_SLICES = 7;

    public static final NodeGpus NONE = new NodeGpus(0, 0, Map.of());

    /**
     * @param allocatable the node's allocatable resources as integers
     * @param labels the node's labels: {@code nvidia.com/gpu.count} (GPU feature discovery) gives the physical
     *     count, {@code nvidia.com/gpu.replicas} the time-slicing factor
     */
    public static NodeGpus of(Map<String, Long> allocatable, Map<String, String> labels) {
        long slots = allocatable.getOrDefault(GPU_RESOURCE, 0L);
        long replicas = Math.max(1, parseOr(labels.get("nvidia.com/gpu.replicas"), 1));
        Map<String, Long> mig = new java.util.TreeMap<>();
        long migComputeSlices = 0;
        for (Map.Entry<String, Long> resource : allocatable.entrySet()) {
            Matcher matcher = MIG.matcher(resource.getKey());
            if (matcher.matches() && resource.getValue() > 0) {
                mig.put(resource.getKey(), resource.getValue());
                migComputeSlices += resource.getValue() * Integer.parseInt(matcher.group(1));
            }
        }
        long fromSlots = slots / replicas;
        long fromMig = (migComputeSlices + MIG_COMPUTE_SLICES - 1) / MIG_COMPUTE_SLICES;
        long physical = parseOr(labels.get("nvidia.com/gpu.count"), fromSlots + fromMig);
        return new NodeGpus((int) Math.max(physical, 0), slots, Map.copyOf(mig));
    }

    public boolean hasGpus() {
        return physical > 0;
    }

    /**
     * The share of this node a pod holds: {@code nvidia.com/gpu} requests by slot (a time-sliced slot is
     * 1/replicas of a GPU), MIG requests by compute slices (a 3g profile is 3/7 of a GPU).
     */
    public GpuShare shareOf(Map<String, Long> podRequests) {
        if (!hasGpus()) {
            return GpuShare.ZERO;
        }
        GpuShare share = GpuShare.ZERO;
        for (Map.Entry<String, Long> request : podRequests.entrySet()) {
            long amount = request.getValue();
            if (amount <= 0) {
                continue;
            }
            if (request.getKey().equals(GPU_RESOURCE) && slots > 0) {
                share = share.plus(GpuShare.of(amount, slots));
            } else {
                Matcher matcher = MIG.matcher(request.getKey());
                if (matcher.matches()) {
                    long computeSlices = amount * Integer.parseInt(matcher.group(1));
                    share = share.plus(GpuShare.of(computeSlices, (long) MIG_COMPUTE_SLICES * physical));
                }
            }
        }
        return share.atMostWhole();
    }

    /** Whether a resource name is a GPU the cost model counts. */
    public static boolean isGpuResource(String resource) {
        return resource.equals(GPU_RESOURCE) || MIG.matcher(resource).matches();
    }

    private static long parseOr(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
