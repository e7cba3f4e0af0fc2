package dev.finops.sim.ml;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ML platform controllers the simulator plays in place of the real ones (none runs here): the Kubeflow
 * Training Operator v1.8.1 (PyTorchJob, TFJob, XGBoostJob, PaddleJob), KubeRay v1.5.0 (RayJob, RayCluster)
 * and Kueue v0.17.0 (Workloads for batch/v1 Jobs). Each starts only if its CRD is installed (the real CRDs,
 * from the projects' Go modules); the others are listed in {@link #missing()}.
 */
public final class MlControllers implements AutoCloseable {

    private final List<SimulatedController> running;
    private final List<String> missing;

    private MlControllers(List<SimulatedController> running, List<String> missing) {
        this.running = running;
        this.missing = missing;
    }

    /** Starts the controllers whose CRDs are served; {@code report} gets one line per action they take. */
    public static MlControllers start(KubernetesClient client, Clock clock, Consumer<String> report) {
        List<SimulatedController> running = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try {
            for (KubeflowJobKind kind : KubeflowJobKind.values()) {
                startIf(client, kind.customKind(), () -> new TrainingOperatorSim(client, kind, clock, report), running,
                        missing);
            }
            startIf(client, CustomKind.RAY_CLUSTER, () -> new RayClusterSim(client, clock, report), running, missing);
            if (installed(client, CustomKind.RAY_CLUSTER)) {
                startIf(client, CustomKind.RAY_JOB, () -> new RayJobSim(client, clock, report), running, missing);
            } else {
                missing.add(CustomKind.RAY_JOB.crdName() + " (needs " + CustomKind.RAY_CLUSTER.crdName() + ")");
            }
            startIf(client, CustomKind.KUEUE_WORKLOAD, () -> new KueueSim(client, clock, report), running, missing);
        } catch (RuntimeException e) {
            running.forEach(SimulatedController::close);
            throw e;
        }
        return new MlControllers(List.copyOf(running), List.copyOf(missing));
    }

    private static void startIf(KubernetesClient client, CustomKind kind, Supplier<SimulatedController> controller,
            List<SimulatedController> running, List<String> missing) {
        if (installed(client, kind)) {
            running.add(controller.get());
        } else {
            missing.add(kind.crdName());
        }
    }

    private static boolean installed(KubernetesClient client, CustomKind kind) {
        var crd = client.apiextensions().v1().customResourceDefinitions().withName(kind.crdName()).get();
        return crd != null && crd.getSpec().getVersions().stream()
                .anyMatch(v -> kind.version().equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
    }

    /** The names of the controllers running, e.g. {@code training-operator (PyTorchJob)}. */
    public List<String> names() {
        return running.stream().map(SimulatedController::name).toList();
    }

    /** The CRDs that were not installed, so their controllers did not start. */
    public List<String> missing() {
        return missing;
    }

    @Override
    public void close() {
        running.forEach(SimulatedController::close);
    }
}
