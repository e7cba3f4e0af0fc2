package dev.finops.operator.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The chart under test and the real helm CLI, against one cluster (or none, for lint and template). */
final class Helm {

    static final Path CHART = Path.of("helm", "gpu-finops-operator");

    private final Path kubeconfig;

    private Helm(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    static Helm offline() {
        return new Helm(null);
    }

    static Helm against(Path kubeconfig) {
        return new Helm(kubeconfig);
    }

    ExternalCommand.Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ToolPaths.helm().toString());
        command.addAll(args);
        if (kubeconfig != null) {
            command.add("--kubeconfig=" + kubeconfig);
        }
        return ExternalCommand.run(command);
    }

    ExternalCommand.Result lint(String... values) {
        return run(concat(List.of("lint", "--strict", CHART.toString()), values));
    }

    /** {@code helm template} of the chart with these value flags (--set ..., -f ...), parsed. */
    RenderedManifests template(String release, String namespace, String... values) {
        return RenderedManifests.parse(run(concat(List.of("template", release, CHART.toString(), "--namespace",
                namespace), values)).orFail().stdout());
    }

    ExternalCommand.Result install(String release, String namespace, String... values) {
        return run(concat(List.of("install", release, CHART.toString(), "--namespace", namespace), values));
    }

    ExternalCommand.Result upgrade(String release, String namespace, String... values) {
        return run(concat(List.of("upgrade", release, CHART.toString(), "--namespace", namespace), values));
    }

    /** What Helm recorded as the release's objects. */
    RenderedManifests manifest(String release, String namespace) {
        return RenderedManifests.parse(run(List.of("get", "manifest", release, "--namespace", namespace))
                .orFail().stdout());
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }
}
