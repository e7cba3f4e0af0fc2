package dev.finops.sim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MIG profile such as {@code 1g.10gb}: {@code g} compute slices of the GPU's 7 and that much memory.
 * A node advertises each profile as its own extended resource ({@code nvidia.com/mig-1g.10gb}, the device
 * plugin's "mixed" strategy), which is how pods ask for a slice and how the operator prices it (g/7 of a GPU).
 *
 * @param name the profile as NVIDIA writes it, e.g. {@code 3g.40gb}
 * @param slices compute slices out of 7
 * @param memoryGb memory of one instance
 */
public record MigProfile(String name, int slices, int memoryGb) {

    public static final String RESOURCE_PREFIX = "nvidia.com/mig-";
    private static final Pattern NAME = Pattern.compile("(\\d)g\\.(\\d+)gb");

    public MigProfile {
        if (slices < 1 || slices > 7) {
            throw new IllegalArgumentException("MIG profile " + name + ": compute slices must be 1..7");
        }
    }

    public static MigProfile parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MIG profile (like 1g.10gb): " + name);
        }
        return new MigProfile(name, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The MIG profile of an extended resource name, or null if it is not a MIG resource. */
    public static MigProfile ofResource(String resourceName) {
        if (!resourceName.startsWith(RESOURCE_PREFIX)) {
            return null;
        }
        return parse(resourceName.substring(RESOURCE_PREFIX.length()));
    }

    public String resourceName() {
        return RESOURCE_PREFIX + name;
    }

    /**
     * How many instances of this profile fit one GPU: limited by compute (7 slices) and by memory
     * (e.g. 7 x 1g.10gb but only 4 x 1g.20gb on an 80 GB H100). {@code gpuMemoryGb} 0 = unknown: compute only.
     */
    public int instancesPerGpu(int gpuMemoryGb) {
        int byCompute = 7 / slices;
        return gpuMemoryGb <= 0 ? byCompute : Math.max(1, Math.min(byCompute, gpuMemoryGb / memoryGb));
    }

    /**
     * The GPU instance id of the {@code n}-th instance of this profile on one GPU, as NVIDIA's placements
     * number them on 7-slice GPUs (1g from 7, 2g from 3, 3g from 1, 4g 5, 7g 0); shown as {@code GPU_I_ID}.
     */
    public int gpuInstanceId(int n) {
        int base = switch (slices) {
            case 1 -> 7;
            case 2 -> 3;
            case 3 -> 1;
            case 4 -> 5;
            default -> 0;
        };
        return base + n;
    }
}
