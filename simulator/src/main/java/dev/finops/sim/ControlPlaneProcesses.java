package dev.finops.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Memory and CPU of the local control plane's processes, read from /proc through the PID files
 * hack/local-cluster.sh keeps in {@code <state>/pids/}: what a scale run costs each component.
 */
final class ControlPlaneProcesses {

    static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kwok", "prometheus");
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** Resident memory and CPU time consumed so far by one process. */
    record Usage(long rssKiB, double cpuSeconds) {
    }

    private final Path pidDir;

    ControlPlaneProcesses(Path stateDir) {
        this.pidDir = stateDir.resolve("pids");
    }

    static ControlPlaneProcesses fromEnvironment() {
        String state = System.getenv("GPU_FINOPS_STATE");
        return new ControlPlaneProcesses(state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local/state/gpu-finops"));
    }

    /** Usage per component that runs (components without a live PID are left out), plus this JVM as "simulator". */
    Map<String, Usage> sample() {
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (String component : COMPONENTS) {
            pid(component).flatMap(ControlPlaneProcesses::usage).ifPresent(u -> usage.put(component, u));
        }
        usage(ProcessHandle.current().pid()).ifPresent(u -> usage.put("simulator (this JVM)", u));
        return usage;
    }

    private Optional<Long> pid(String component) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidDir.resolve(component + ".pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Usage> usage(long pid) {
        try {
            long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(0L);
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the ")" of the command name: state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Optional.of(new Usage(rss, (double) ticks / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
