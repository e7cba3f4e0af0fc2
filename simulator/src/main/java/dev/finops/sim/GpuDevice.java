package dev.finops.sim;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One physical GPU of a node, with the identifiers dcgm-exporter labels its series with. They are derived
 * from node name and index only, so they stay the same across simulator restarts, as a real GPU's do.
 *
 * @param index the GPU's index on the node ({@code gpu} label)
 * @param uuid {@code GPU-<uuid>} ({@code UUID} label)
 * @param pciBusId {@code pci_bus_id} label
 * @param device {@code nvidia<index>} ({@code device} label)
 */
public record GpuDevice(int index, String uuid, String pciBusId, String device) {

    public static GpuDevice of(String nodeName, int index) {
        UUID uuid = UUID.nameUUIDFromBytes((nodeName + "/gpu/" + index).getBytes(StandardCharsets.UTF_8));
        return new GpuDevice(index, "GPU-" + uuid, String.format("00000000:%02X:00.0", 0x10 + 0x10 * index),
                "nvidia" + index);
    }
}
