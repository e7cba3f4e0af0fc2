package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kinds table: rows, their refusals, and the owner checks of a verified chain, without a cluster. */
class WorkloadKindTest {

    @Test
    void eachKindIsFoundByItsApiVersionAndKindAndStopsByItsOwnField() {
        assertThat(WorkloadKind.of("kubeflow.org/v1", "PyTorchJob")).contains(WorkloadKind.PYTORCH_JOB);
        assertThat(WorkloadKind.PYTORCH_JOB.suspendField()).isEqualTo("spec.runPolicy.suspend");
        assertThat(WorkloadKind.of("trainer.kubeflow.org/v1alpha1", "TrainJob").orElseThrow().suspendField())
                .isEqualTo("spec.suspend");
        assertThat(WorkloadKind.of("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet").orElseThrow().stop())
                .isEqualTo(WorkloadKind.Stop.SCALE);
        assertThat(WorkloadKind.of("ray.io/v1alpha1", "RayJob")).isEmpty(); // another version: not the row's
        assertThat(WorkloadKind.ofGroupKind("ray.io/v1alpha1", "RayJob")).contains(WorkloadKind.RAY_JOB);
        assertThat(WorkloadKind.of("example.com/v1", "Widget")).isEmpty();
    }

    @Test
    void kueueTakesOverTheSuspendOfJobsButNotOfCronJobsOrScaledKinds() {
        assertThat(WorkloadKind.JOB.kueueManaged()).isTrue();
        assertThat(WorkloadKind.RAY_JOB.kueueManaged()).isTrue();
        assertThat(WorkloadKind.CRON_JOB.kueueManaged()).isFalse();
        assertThat(WorkloadKind.DEPLOYMENT.kueueManaged()).isFalse();
        assertThat(WorkloadKind.LEADER_WORKER_SET.kueueManaged()).isFalse();
    }

    @Test
    void aRefusalNamesTheChartValueOfTheKindsFamily() {
        assertThat(WorkloadKind.JAX_JOB.forbidden("patch")).isEqualTo("the operator may not patch "
                + "jaxjobs.kubeflow.org: grant patch on jaxjobs.kubeflow.org (set rbac.kubeflow.enabled=true in the chart)");
        assertThat(WorkloadKind.LEADER_WORKER_SET.forbidden("get")).endsWith("(set rbac.leaderWorkerSet.enabled=true "
                + "in the chart)");
        assertThat(WorkloadKind.JOB.forbidden("patch")).endsWith("(set rbac.workloadActions.enabled=true in the chart)");
    }

    @Test
    void onlyARayJobKubeRayCanSuspendIsStoppable() {
        assertThat(WorkloadKind.RAY_JOB.refusal(spec(Map.of("shutdownAfterJobFinishes", true)))).isEmpty();
        assertThat(WorkloadKind.RAY_JOB.refusal(spec(Map.of()))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("KubeRay refuses to suspend a RayJob with shutdownAfterJobFinishes: false"));
        assertThat(WorkloadKind.RAY_JOB.refusal(spec(Map.of("shutdownAfterJobFinishes", true, "clusterSelector",
                Map.of("ray.io/cluster", "shared"))))).hasValueSatisfying(why -> assertThat(why)
                        .startsWith("KubeRay refuses to suspend a RayJob that runs on a selected RayCluster"));
        assertThat(WorkloadKind.RAY_CLUSTER.refusal(spec(Map.of()))).isEmpty();
    }

    @Test
    void anOwnerSelectsOnlyTheChildrenItsControllerMarks() {
        GenericKubernetesResource job = owner("batch/v1", "Job", "train", Map.of("selector",
                Map.of("matchLabels", Map.of("batch.kubernetes.io/controller-uid", "u1"))));
        GenericKubernetesResource rayCluster = owner("ray.io/v1", "RayCluster", "tune", Map.of());
        GenericKubernetesResource trainJob = owner("trainer.kubeflow.org/v1alpha1", "TrainJob", "llama", Map.of());
        GenericKubernetesResource noSelector = owner("apps/v1", "ReplicaSet", "bare", Map.of());

        assertThat(OwnerChain.notSelected(job, child("p", Map.of("batch.kubernetes.io/controller-uid", "u1")))).isNull();
        assertThat(OwnerChain.notSelected(job, child("p", Map.of("batch.kubernetes.io/controller-uid", "u2"))))
                .isEqualTo("does not select it (its spec.selector does not match the labels of Pod p)");
        assertThat(OwnerChain.notSelected(rayCluster, child("h", Map.of("ray.io/cluster", "tune")))).isNull();
        assertThat(OwnerChain.notSelected(rayCluster, child("h", Map.of("ray.io/cluster", "other"))))
                .isEqualTo("does not select it (Pod h lacks the label ray.io/cluster=tune its controller writes)");
        assertThat(OwnerChain.notSelected(trainJob, child("llama", Map.of()))).isNull();
        assertThat(OwnerChain.notSelected(trainJob, child("other", Map.of()))).isEqualTo("does not select it (its "
                + "controller creates only llama, not other)");
        assertThat(OwnerChain.notSelected(noSelector, child("p", Map.of()))).startsWith("does not select it");
        assertThat(OwnerChain.notSelected(owner("example.com/v1", "Widget", "w", Map.of()), child("p", Map.of())))
                .as("a kind outside the table: its uid only").isNull();
    }

    private static java.util.function.Function<List<String>, Object> spec(Map<String, Object> spec) {
        GenericKubernetesResource rayJob = owner("ray.io/v1", "RayJob", "r", spec);
        return path -> WorkloadInspector.field(rayJob, path);
    }

    private static GenericKubernetesResource owner(String apiVersion, String kind, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion(apiVersion).withKind(kind).withNewMetadata()
                .withName(name).endMetadata().addToAdditionalProperties("spec", spec).build();
    }

    private static HasMetadata child(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }
}
