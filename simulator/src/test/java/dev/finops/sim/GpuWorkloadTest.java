package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GpuWorkloadTest {

    @Test
    void jobPodsRunForTheirDurationThroughKwokAnnotationsAndCarryTheBudgetLabels() {
        Job job = (Job) GpuWorkload.job("ml-research", "trial-3").gpus(2).runFor(Duration.ofSeconds(150))
                .label("experiment", "llm-sweep-42").build().toResource();

        assertThat(job.getMetadata().getLabels()).containsEntry("experiment", "llm-sweep-42");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("experiment", "llm-sweep-42").containsEntry(SimulatorLabels.WORKLOAD, "trial-3");
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("pod-complete.stage.kwok.x-k8s.io/delay", "150s")
                .containsEntry("pod-complete.stage.kwok.x-k8s.io/jitter-delay", "150s");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getContainers().get(0).getResources().getRequests())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(pod.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(pod.getTolerations()).anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
    }

    @Test
    void deploymentSelectsItsPodsAndCanAskForMigSlicesAndAffinity() {
        Deployment d = (Deployment) GpuWorkload.deployment("vision", "detector").replicas(3).mig("1g.10gb", 1)
                .requireNodeLabelIn("karpenter.sh/nodepool", "gpu-spot", "gpu-on-demand")
                .preferNodeLabel("karpenter.sh/capacity-type", "spot").build().toResource();

        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry(SimulatorLabels.WORKLOAD, "detector");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getResources().getRequests())
                .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("1")).doesNotContainKey("nvidia.com/gpu");
        assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues())
                .containsExactly("gpu-spot", "gpu-on-demand");
        assertThat(pod.getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(p -> assertThat(p.getWeight()).isEqualTo(100));
    }

    @Test
    void cronJobTemplatesItsJobs() {
        CronJob cron = (CronJob) GpuWorkload.cronJob("vision", "refresh", "*/2 * * * *")
                .runFor(Duration.ofSeconds(45)).build().toResource();

        assertThat(cron.getSpec().getSchedule()).isEqualTo("*/2 * * * *");
        assertThat(cron.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("pod-complete.stage.kwok.x-k8s.io/delay", "45s");
        assertThatThrownBy(() -> GpuWorkload.job("ns", "no-duration").build())
                .hasMessageContaining("needs runFor");
    }

    @Test
    void podsOfTheWorkloadAreKeyedForTheUtilisationModel() {
        GpuWorkload w = GpuWorkload.deployment("ml", "nb").build();
        Pod pod = new PodBuilder()
                .withMetadata(((Deployment) w.toResource()).getSpec().getTemplate().getMetadata())
                .editMetadata().withNamespace("ml").withName("nb-abc").endMetadata().build();

        assertThat(WorkloadKey.of(pod)).isEqualTo(w.key());
    }
}
