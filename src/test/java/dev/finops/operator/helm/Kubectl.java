package dev.finops.operator.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real kubectl of the tested Kubernetes version, against one cluster. */
final class Kubectl {

    private final Path kubeconfig;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    ExternalCommand.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ToolPaths.kubectl().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        return ExternalCommand.run(command);
    }

    /**
     * {@code kubectl auth can-i} as a ServiceAccount (impersonated: the API server adds its groups), e.g.
     * {@code canI("ns:sa", "patch", "experimentbudgets.finops.dev", "--subresource=status", "-n", "team-a")}.
     */
    boolean canI(String serviceAccount, String verb, String resource, String... flags) {
        List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource,
                "--as=system:serviceaccount:" + serviceAccount));
        args.addAll(List.of(flags));
        ExternalCommand.Result result = run(args.toArray(String[]::new));
        String answer = result.stdout().strip();
        if (answer.equals("yes") && result.exitCode() == 0) {
            return true;
        }
        if (answer.equals("no") && result.exitCode() == 1) {
            return false;
        }
        throw new AssertionError(result.describe());
    }
}
