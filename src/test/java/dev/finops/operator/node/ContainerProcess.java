package dev.finops.operator.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's main process on the real node, as the host sees it: its user, its effective capabilities and its
 * memory cgroup (cgroup v1, as on this machine). Found through containerd by the container ID the pod reports.
 */
record ContainerProcess(long pid, String uids, String effectiveCapabilities, Path memoryCgroup) {

    static ContainerProcess of(Path stateDir, String containerId) {
        String id = containerId.replaceFirst("^containerd://", "");
        long pid = NodeCommands.ctr(stateDir, "tasks", "ls").lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(columns -> columns.length >= 2 && columns[0].equals(id))
                .mapToLong(columns -> Long.parseLong(columns[1]))
                .findFirst().orElseThrow(() -> new AssertionError("containerd runs no task " + id));
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        String memory = read(Path.of("/proc", Long.toString(pid), "cgroup")).lines()
                .filter(line -> line.split(":", 3)[1].equals("memory"))
                .map(line -> line.split(":", 3)[2]).findFirst()
                .orElseThrow(() -> new AssertionError("process " + pid + " is in no memory cgroup"));
        return new ContainerProcess(pid, field(status, "Uid"), field(status, "CapEff"),
                Path.of("/sys/fs/cgroup/memory").resolve(memory.substring(1)));
    }

    long memoryLimitBytes() {
        return Long.parseLong(read(memoryCgroup.resolve("memory.limit_in_bytes")).strip());
    }

    /** The most the container's cgroup ever held (resident and page cache), since it started. */
    long memoryPeakBytes() {
        return Long.parseLong(read(memoryCgroup.resolve("memory.max_usage_in_bytes")).strip());
    }

    long residentBytes() {
        return Long.parseLong(field(read(Path.of("/proc", Long.toString(pid), "status")), "VmRSS")
                .replace(" kB", "").strip()) * 1024;
    }

    private static String field(String status, String name) {
        return status.lines().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1).strip())
                .map(value -> value.replaceAll("\\s+", " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in /proc status"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
