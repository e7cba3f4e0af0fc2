package dev.finops.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link GpuWorkload} as the object a user applies: its metadata (labels plus the simulator's own), its pod
 * template (GPU requests, the GPU toleration, node selector and affinity, kwok's run time for Job pods) and
 * the kind's spec around it. The ML kinds are {@link MlWorkloadManifests}'.
 */
final class WorkloadManifests {

    private WorkloadManifests() {
    }

    static HasMetadata of(GpuWorkload w) {
        return switch (w.kind()) {
            case DEPLOYMENT -> new DeploymentBuilder()
                    .withMetadata(metadata(w))
                    .withNewSpec()
                        .withReplicas(w.replicas())
                        .withNewSelector().addToMatchLabels(SimulatorLabels.WORKLOAD, w.name()).endSelector()
                        .withTemplate(podTemplate(w, true))
                    .endSpec()
                    .build();
            case JOB -> new JobBuilder().withMetadata(metadata(w)).withSpec(jobSpec(w)).build();
            case CRONJOB -> new CronJobBuilder()
                    .withMetadata(metadata(w))
                    .withNewSpec()
                        .withSchedule(w.schedule())
                        .withConcurrencyPolicy("Forbid")
                        .withSuccessfulJobsHistoryLimit(3)
                        .withFailedJobsHistoryLimit(1)
                        .withNewJobTemplate()
                            .withNewMetadata().withLabels(objectLabels(w)).endMetadata()
                            .withSpec(jobSpec(w))
                        .endJobTemplate()
                    .endSpec()
                    .build();
            case PYTORCH_JOB -> MlWorkloadManifests.pyTorchJob(w, metadata(w), podTemplate(w, true));
            case RAY_JOB -> MlWorkloadManifests.rayJob(w, metadata(w), podTemplate(w, false), podTemplate(w, true));
        };
    }

    static ObjectMeta metadata(GpuWorkload w) {
        return new ObjectMetaBuilder().withName(w.name()).withNamespace(w.namespace()).withLabels(objectLabels(w))
                .build();
    }

    private static Map<String, String> objectLabels(GpuWorkload w) {
        Map<String, String> all = new LinkedHashMap<>(w.labels());
        all.put(SimulatorLabels.SIMULATED, "true");
        if (w.scenario() != null) {
            all.put(SimulatorLabels.SCENARIO, w.scenario());
        }
        if (w.queue() != null) {
            all.put(SimulatorLabels.KUEUE_QUEUE_NAME, w.queue());
        }
        return all;
    }

    private static JobSpec jobSpec(GpuWorkload w) {
        return new JobSpecBuilder()
                .withParallelism(w.replicas())
                .withCompletions(w.replicas())
                // Spot interruptions kill pods; a retry is what a real training job would do.
                .withBackoffLimit(w.backoffLimit())
                // Finished Jobs go away after a while, but late enough for cost accrual to read their pods.
                .withTtlSecondsAfterFinished(900)
                // Kueue's webhook creates a queued Job suspended; Kueue starts it when it admits its Workload
                .withSuspend(w.queue() != null ? Boolean.TRUE : null)
                .withTemplate(podTemplate(w, true))
                .build();
    }

    /** The pod template; without GPUs (a Ray head) it asks for CPU and memory only. */
    static PodTemplateSpec podTemplate(GpuWorkload w, boolean gpus) {
        Map<String, String> podLabels = new LinkedHashMap<>(w.labels());
        podLabels.put(SimulatorLabels.WORKLOAD, w.name());
        podLabels.put(SimulatorLabels.SIMULATED, "true");
        Map<String, String> annotations = new LinkedHashMap<>();
        if (w.runFor() != null) {
            annotations.put(SimulatorLabels.KWOK_COMPLETE_DELAY, GpuWorkload.goDuration(w.runFor()));
            annotations.put(SimulatorLabels.KWOK_COMPLETE_JITTER, GpuWorkload.goDuration(w.runFor()));
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        boolean mig = w.gpuResource().startsWith(MigProfile.RESOURCE_PREFIX);
        int perPod = gpus ? w.gpusPerPod() : 1;
        requests.put("cpu", new Quantity(mig ? "1" : Integer.toString(2 * perPod)));
        requests.put("memory", new Quantity(mig ? "4Gi" : (8 * perPod) + "Gi"));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (gpus) {
            requests.put(w.gpuResource(), new Quantity(Integer.toString(w.gpusPerPod())));
            limits.put(w.gpuResource(), new Quantity(Integer.toString(w.gpusPerPod())));
        }
        boolean batch = w.kind() == GpuWorkload.Kind.JOB || w.kind() == GpuWorkload.Kind.CRONJOB;
        var spec = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withRestartPolicy(batch ? "Never" : w.kind() == GpuWorkload.Kind.PYTORCH_JOB ? null : "Always")
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer()
                    .withName(gpus ? w.container() : "ray-head")
                    .withImage("registry.example/" + w.name() + ":sim")
                    .withNewResources().withRequests(requests).withLimits(limits.isEmpty() ? null : limits).endResources()
                .endContainer()
                .addToTolerations(new TolerationBuilder().withKey(SimulatorLabels.GPU_RESOURCE)
                        .withOperator("Exists").withEffect("NoSchedule").build())
                .withNodeSelector(w.nodeSelector().isEmpty() ? Map.of(SimulatorLabels.GPU_PRESENT, "true")
                        : w.nodeSelector());
        if (!w.requiredNodeAffinity().isEmpty() || !w.preferredNodeAffinity().isEmpty()) {
            var affinity = spec.withNewAffinity().withNewNodeAffinity();
            if (!w.requiredNodeAffinity().isEmpty()) {
                affinity = affinity.withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm().withMatchExpressions(w.requiredNodeAffinity()).endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution();
            }
            if (!w.preferredNodeAffinity().isEmpty()) {
                affinity = affinity.addNewPreferredDuringSchedulingIgnoredDuringExecution()
                        .withWeight(100)
                        .withNewPreference().withMatchExpressions(w.preferredNodeAffinity()).endPreference()
                        .endPreferredDuringSchedulingIgnoredDuringExecution();
            }
            spec = affinity.endNodeAffinity().endAffinity();
        }
        return spec.endSpec().build();
    }
}
