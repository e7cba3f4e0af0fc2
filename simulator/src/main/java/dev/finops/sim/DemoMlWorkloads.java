package dev.finops.sim;

import static dev.finops.sim.SimulatorLabels.INSTANCE_TYPE;
import static dev.finops.sim.SimulatorLabels.KARPENTER_CAPACITY_TYPE;

import dev.finops.sim.ml.MlControllers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's ML platform workloads, in {@value DemoScenario#ML_RESEARCH} under the budget
 * {@code llm-pretrain-cap} (hack/demo.sh), which selects {@code app.kubernetes.io/part-of: llm-pretrain}: a
 * PyTorchJob whose pods the simulated training operator makes, and a Job admitted by the simulated Kueue.
 * Both run on the on-demand g5.12xlarge (4 A10G), so their spend rate is the same on every run.
 */
final class DemoMlWorkloads {

    static final String PART_OF = "llm-pretrain";
    static final String PYTORCH_JOB = "llm-pretrain";
    static final String QUEUED_JOB = "llm-eval-backfill";
    static final String QUEUE = "nlp-gpu";

    private DemoMlWorkloads() {
    }

    /** A PyTorchJob of one master and one worker, one A10G each; it runs until stopped. */
    static GpuWorkload pyTorchJob() {
        return onDemandA10g(GpuWorkload.pyTorchJob(DemoScenario.ML_RESEARCH, PYTORCH_JOB).replicas(2).gpus(1))
                .utilisation(UtilisationProfile.noisy(0.85, 0.05)).build();
    }

    /** A Job queued to Kueue's LocalQueue {@value #QUEUE}: one A10G pod running 20 minutes. */
    static GpuWorkload queuedJob() {
        return onDemandA10g(GpuWorkload.job(DemoScenario.ML_RESEARCH, QUEUED_JOB).queue(QUEUE).gpus(1)
                .runFor(Duration.ofMinutes(20))).utilisation(UtilisationProfile.noisy(0.7, 0.1)).build();
    }

    private static GpuWorkload.Builder onDemandA10g(GpuWorkload.Builder b) {
        return b.label("app.kubernetes.io/part-of", PART_OF).label("team", "nlp")
                .nodeSelector(INSTANCE_TYPE, GpuInstanceType.G5_12XLARGE.apiName())
                .nodeSelector(KARPENTER_CAPACITY_TYPE, "on-demand").scenario(DemoScenario.SCENARIO);
    }

    /** The workloads whose simulated controller runs (its CRD is installed), and a line for each left out. */
    static List<GpuWorkload> runnable(MlControllers controllers, List<String> skipped) {
        List<GpuWorkload> workloads = new ArrayList<>();
        if (controllers.names().contains("training-operator (PyTorchJob)")) {
            workloads.add(pyTorchJob());
        } else {
            skipped.add("PyTorchJob " + PYTORCH_JOB + " left out: CRD pytorchjobs.kubeflow.org not installed");
        }
        if (controllers.names().contains("kueue")) {
            workloads.add(queuedJob());
        } else {
            skipped.add("Job " + QUEUED_JOB + " left out: CRD workloads.kueue.x-k8s.io not installed");
        }
        return workloads;
    }
}
