package dev.finops.sim.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KueueWorkloadsTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-03-01T10:07:00Z");

    private static Job job() {
        return JSON.unmarshal("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: sweep
                  namespace: ml
                  uid: job-uid-7
                  labels: {kueue.x-k8s.io/queue-name: gpu-queue}
                spec:
                  parallelism: 3
                  completions: 2
                  suspend: true
                  template:
                    metadata:
                      labels: {experiment: e1, controller-uid: job-uid-7, batch.kubernetes.io/controller-uid: job-uid-7,
                               job-name: sweep, batch.kubernetes.io/job-name: sweep}
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: trainer
                        image: t
                        resources: {requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "2"}}
                """, Job.class);
    }

    @Test
    void workloadNamesAreKueuesOwnTestVectors() {
        // sigs.k8s.io/kueue@v0.17.0 pkg/controller/jobframework/workload_names_test.go, ShortWorkloadNames=false
        assertThat(KueueWorkloads.name("name", "uid")).isEqualTo("job-name-ef3a1");
        String longName = "marketing-campaign-autumn-2024-region-north-america-department-digital-strategy-sub-"
                + "department-social-media-engagement-tracker-and-analytics-dashboard-v2-final-revision-by-engineering"
                + "-team-lead-senior-architect-validation-checked-approved-by-legal-and-ops-dept";
        assertThat(KueueWorkloads.name(longName, "uid")).isEqualTo("job-marketing-campaign-autumn-2024-region-north-"
                + "america-department-digital-strategy-sub-department-social-media-engagement-tracker-and-analytics-"
                + "dashboard-v2-final-revision-by-engineering-team-lead-senior-architect-validation-checked-approved-"
                + "by-l-218b8");
    }

    @Test
    void aJobsWorkloadIsOwnedByItLabelledWithItsUidAndHoldsItsPodSet() {
        GenericKubernetesResource w = KueueWorkloads.newWorkload(job(), JSON);

        assertThat(w.getApiVersion()).isEqualTo("kueue.x-k8s.io/v1beta2");
        assertThat(w.getMetadata().getName()).isEqualTo(KueueWorkloads.name("sweep", "job-uid-7"));
        assertThat(w.getMetadata().getLabels()).isEqualTo(Map.of("kueue.x-k8s.io/job-uid", "job-uid-7"));
        assertThat(w.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getApiVersion()).isEqualTo("batch/v1");
            assertThat(ref.getKind()).isEqualTo("Job");
            assertThat(ref.getUid()).isEqualTo("job-uid-7");
            assertThat(ref.getController()).isTrue();
        });
        assertThat(Unstructured.string(w, "spec", "queueName")).isEqualTo("gpu-queue");
        Map<String, Object> podSet = Unstructured.list(w.getAdditionalProperties(), "spec", "podSets").get(0);
        assertThat(podSet).containsEntry("name", "main").containsEntry("count", 2);
        assertThat(Unstructured.map(podSet, "template", "metadata", "labels"))
                .isEqualTo(Map.of("experiment", "e1", "batch.kubernetes.io/job-name", "sweep"));
        assertThat(KueueWorkloads.active(w)).as("the CRD defaults spec.active to true").isTrue();
    }

    @Test
    void admissionReservesQuotaForEveryPodThenDeactivationEvictsAndReleasesIt() {
        GenericKubernetesResource w = KueueWorkloads.newWorkload(job(), JSON);
        w.getMetadata().setGeneration(1L);

        w.setAdditionalProperty("status", KueueWorkloads.admittedStatus(w, job(), T0));
        assertThat(KueueWorkloads.admitted(w)).isTrue();
        assertThat(Unstructured.map(w, "status", "admission")).isEqualTo(Map.of("clusterQueue", "cluster-queue",
                "podSetAssignments", List.of(Map.of("name", "main", "count", 2,
                        "flavors", Map.of("cpu", "default-flavor", "memory", "default-flavor", "nvidia.com/gpu", "default-flavor"),
                        "resourceUsage", Map.of("cpu", "8", "memory", "32Gi", "nvidia.com/gpu", "4")))));

        w.setAdditionalProperty("status", KueueWorkloads.deactivatedStatus(w, T1));
        assertThat(KueueWorkloads.admitted(w)).isFalse();
        assertThat(Unstructured.map(w, "status")).doesNotContainKey("admission");
        assertThat(Unstructured.list(w.getAdditionalProperties(), "status", "conditions"))
                .extracting(c -> c.get("type") + "=" + c.get("status") + "/" + c.get("reason"))
                .containsExactly("QuotaReserved=False/Pending", "Admitted=False/NoReservation", "Evicted=True/Deactivated");

        w.setAdditionalProperty("status", KueueWorkloads.admittedStatus(w, job(), T1));
        assertThat(Unstructured.list(w.getAdditionalProperties(), "status", "conditions"))
                .extracting(c -> c.get("type") + "=" + c.get("status") + "/" + c.get("reason"))
                .containsExactly("QuotaReserved=True/QuotaReserved", "Admitted=True/Admitted", "Evicted=False/QuotaReserved");
    }
}
