package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every ML workload kind of the table stopped and restored on a real kube-apiserver under its real CRD (or its
 * committed stand-in): the stop sets exactly its field, the record survives an operator restart (a fresh
 * controller), the restore gives back exactly the value before. KubeRay's unsuspendable RayJobs and a kind no CRD
 * serves are CannotStop, never an exception.
 */
class WorkloadKindsApiServerIT {

    private static final String NS = "ml";
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static RealApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        api = RealApiServer.start();
        client = api.client();
        WorkloadCrds.installAll(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest
    @EnumSource(value = WorkloadKind.class, names = {"PYTORCH_JOB", "TF_JOB", "MPI_JOB", "XGBOOST_JOB", "PADDLE_JOB",
        "JAX_JOB", "TRAIN_JOB", "JOB_SET", "RAY_JOB", "RAY_CLUSTER"})
    void aSuspendKindIsStoppedByExactlyItsFieldAndGivenBackAfterARestart(WorkloadKind kind) {
        String name = kind.plural().substring(0, kind.plural().length() - 1);
        client.resource(MlObjects.object(kind, NS, name, MlObjects.runningSpec(kind))).create();
        WorkloadRef ref = new WorkloadRef(kind.apiVersion(), kind.kind(), NS, name);
        WorkloadController before = new WorkloadController(client);

        WorkloadState running = before.inspect(ref).orElseThrow();
        assertThat(running.stoppable()).as(running.toString()).isTrue();
        assertThat(running.mode()).isEqualTo(RestoreRecord.Mode.Suspend);
        assertThat(running.stopped()).isFalse();
        Map<String, Object> specBefore = spec(stored(kind, name));
        before.stop(running, "cap", AT);

        GenericKubernetesResource stopped = stored(kind, name);
        assertThat(WorkloadInspector.field(stopped, kind.suspendPath())).isEqualTo(true);
        assertThat(withSuspend(spec(stopped), kind, false)).isEqualTo(specBefore); // nothing else changed
        assertThat(stopped.getMetadata().getAnnotations()).containsEntry(RestoreRecord.SUSPENDED_BY, "cap")
                .containsEntry(RestoreRecord.MODE, "Suspend").containsEntry(RestoreRecord.SUSPENDED_AT, AT.toString());
        assertThat(stopped.getMetadata().getLabels()).containsEntry(RestoreRecord.LABEL, "true");
        before.stopWatchingRecords();

        WorkloadController restarted = new WorkloadController(client);
        assertThat(restarted.recordedBy(NS, "cap")).contains(ref);
        WorkloadState found = restarted.inspect(ref).orElseThrow();
        assertThat(WorkloadVerdict.decide(found, Owner.untilReleased("cap"), Intent.Stop, AT).kind())
                .isEqualTo(WorkloadVerdict.Kind.AlreadyStoppedByMe);
        restarted.restore(found);

        GenericKubernetesResource restored = stored(kind, name);
        assertThat(WorkloadInspector.field(restored, kind.suspendPath())).isEqualTo(false);
        assertThat(spec(restored)).isEqualTo(specBefore);
        assertThat(restored.getMetadata().getAnnotations()).doesNotContainKeys(RestoreRecord.KEYS.toArray(String[]::new));
        assertThat(restored.getMetadata().getLabels()).doesNotContainKey(RestoreRecord.LABEL);
        restarted.stopWatchingRecords();
        WorkloadController after = new WorkloadController(client); // its informers list what is there now
        assertThat(after.recordedBy(NS, "cap")).doesNotContain(ref);
        after.stopWatchingRecords();
    }

    @Test
    void aLeaderWorkerSetGoesToZeroThroughItsScaleAndComesBackToItsThreeGroups() {
        WorkloadKind kind = WorkloadKind.LEADER_WORKER_SET;
        client.resource(MlObjects.object(kind, NS, "serving", MlObjects.runningSpec(kind))).create();
        WorkloadRef ref = new WorkloadRef(kind.apiVersion(), kind.kind(), NS, "serving");
        WorkloadController before = new WorkloadController(client);

        WorkloadState running = before.inspect(ref).orElseThrow();
        assertThat(running.mode()).isEqualTo(RestoreRecord.Mode.ScaleToZero);
        assertThat(running.replicas()).isEqualTo(3);
        before.stop(running, "cap", AT);
        assertThat(WorkloadInspector.field(stored(kind, "serving"), List.of("spec", "replicas"))).isEqualTo(0);
        assertThat(stored(kind, "serving").getMetadata().getAnnotations())
                .containsEntry(RestoreRecord.REPLICAS_BEFORE, "3");
        before.stopWatchingRecords();

        WorkloadController restarted = new WorkloadController(client);
        assertThat(restarted.recordedBy(NS, "cap")).contains(ref);
        restarted.restore(restarted.inspect(ref).orElseThrow());
        assertThat(WorkloadInspector.field(stored(kind, "serving"), List.of("spec", "replicas"))).isEqualTo(3);
        assertThat(stored(kind, "serving").getMetadata().getAnnotations())
                .doesNotContainKey(RestoreRecord.SUSPENDED_BY);
        restarted.stopWatchingRecords();
    }

    @Test
    void aJobKueueAdmitsIsStoppedThroughItsKueueWorkloadWithTheRecordOnTheJob() {
        Job job = client.resource(new JobBuilder().withNewMetadata().withNamespace(NS).withName("queued")
                .addToLabels(KueueWorkloads.QUEUE_LABEL, "team-queue").endMetadata()
                .withNewSpec().withSuspend(false).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("registry.example/trainer:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        client.resource(kueueWorkload("job-queued-1a2b3", job)).create();
        WorkloadRef ref = new WorkloadRef("batch/v1", "Job", NS, "queued");
        WorkloadController before = new WorkloadController(client);

        WorkloadState running = before.inspect(ref).orElseThrow();
        assertThat(running.mode()).isEqualTo(RestoreRecord.Mode.Deactivate);
        assertThat(running.kueueWorkload()).isEqualTo("job-queued-1a2b3");
        assertThat(running.stopped()).isFalse();
        before.stop(running, "cap", AT);

        assertThat(WorkloadInspector.field(kueueWorkload("job-queued-1a2b3"), List.of("spec", "active"))).isEqualTo(false);
        Job stopped = client.batch().v1().jobs().inNamespace(NS).withName("queued").get();
        assertThat(stopped.getSpec().getSuspend()).isFalse(); // Kueue's to set, not ours
        assertThat(stopped.getMetadata().getAnnotations()).containsEntry(RestoreRecord.SUSPENDED_BY, "cap")
                .containsEntry(RestoreRecord.MODE, "Deactivate");
        assertThat(kueueWorkload("job-queued-1a2b3").getMetadata().getAnnotations()).isNullOrEmpty();
        before.stopWatchingRecords();

        WorkloadController restarted = new WorkloadController(client);
        assertThat(restarted.recordedBy(NS, "cap")).contains(ref);
        WorkloadState found = restarted.inspect(ref).orElseThrow();
        assertThat(found.stopped()).isTrue();
        assertThat(WorkloadVerdict.decide(found, Owner.untilReleased("cap"), Intent.Stop, AT).kind())
                .isEqualTo(WorkloadVerdict.Kind.AlreadyStoppedByMe);
        restarted.restore(found);

        assertThat(WorkloadInspector.field(kueueWorkload("job-queued-1a2b3"), List.of("spec", "active"))).isEqualTo(true);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("queued").get().getMetadata().getAnnotations())
                .doesNotContainKey(RestoreRecord.SUSPENDED_BY);
        restarted.stopWatchingRecords();
    }

    @Test
    void aJobLabelledForKueueWithoutItsWorkloadYetIsCannotStopNotSuspendedBehindKueuesBack() {
        client.resource(new JobBuilder().withNewMetadata().withNamespace(NS).withName("waiting")
                .addToLabels(KueueWorkloads.QUEUE_LABEL, "team-queue").endMetadata()
                .withNewSpec().withSuspend(false).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("registry.example/trainer:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        WorkloadController workloads = new WorkloadController(client);

        WorkloadVerdict verdict = verdict(workloads, new WorkloadRef("batch/v1", "Job", NS, "waiting"));

        assertThat(verdict.kind()).isEqualTo(WorkloadVerdict.Kind.CannotStop);
        assertThat(verdict.why()).isEqualTo("it waits in Kueue queue team-queue, but Kueue has no Workload for it "
                + "yet; it is stopped through that Workload (spec.active), since Kueue would undo a direct suspend");
        workloads.stopWatchingRecords();
    }

    /** A Kueue Workload as Kueue v0.17.0 creates one for a Job: owned by it, labelled with its uid. */
    private static GenericKubernetesResource kueueWorkload(String name, Job job) {
        Map<String, Object> podSet = Map.of("name", "main", "count", 1, "template", Map.of("spec", Map.of(
                "restartPolicy", "Never", "containers", List.of(Map.of("name", "main", "image",
                        "registry.example/trainer:1")))));
        return new GenericKubernetesResourceBuilder().withApiVersion(KueueWorkloads.API_VERSION).withKind("Workload")
                .withNewMetadata().withNamespace(NS).withName(name)
                .addToLabels(KueueWorkloads.JOB_UID_LABEL, job.getMetadata().getUid())
                .withOwnerReferences(MlObjects.controlledBy(job)).endMetadata()
                .addToAdditionalProperties("spec", Map.of("queueName", "team-queue", "active", true,
                        "podSets", List.of(podSet)))
                .build();
    }

    private static GenericKubernetesResource kueueWorkload(String name) {
        return client.genericKubernetesResources(KueueWorkloads.API_VERSION, "Workload").inNamespace(NS)
                .withName(name).get();
    }

    @Test
    void aRayJobKubeRayWouldFailForGoodIsCannotStopAndLeftRunning() {
        WorkloadKind kind = WorkloadKind.RAY_JOB;
        Map<String, Object> keepsCluster = Map.of("entrypoint", "python train.py", "shutdownAfterJobFinishes", false,
                "suspend", false, "rayClusterSpec", MlObjects.rayClusterSpec());
        Map<String, Object> selected = Map.of("entrypoint", "python train.py", "shutdownAfterJobFinishes", true,
                "suspend", false, "clusterSelector", Map.of("ray.io/cluster", "shared"));
        client.resource(MlObjects.object(kind, NS, "keeps-cluster", keepsCluster)).create();
        client.resource(MlObjects.object(kind, NS, "on-shared", selected)).create();
        WorkloadController workloads = new WorkloadController(client);

        WorkloadVerdict keeps = verdict(workloads, new WorkloadRef(kind.apiVersion(), kind.kind(), NS, "keeps-cluster"));
        WorkloadVerdict shared = verdict(workloads, new WorkloadRef(kind.apiVersion(), kind.kind(), NS, "on-shared"));

        assertThat(keeps.kind()).isEqualTo(WorkloadVerdict.Kind.CannotStop);
        assertThat(keeps.why()).startsWith("KubeRay refuses to suspend a RayJob with shutdownAfterJobFinishes: false");
        assertThat(shared.kind()).isEqualTo(WorkloadVerdict.Kind.CannotStop);
        assertThat(shared.why()).startsWith("KubeRay refuses to suspend a RayJob that runs on a selected RayCluster");
        assertThat(WorkloadInspector.field(stored(kind, "keeps-cluster"), kind.suspendPath())).isEqualTo(false);
        workloads.stopWatchingRecords();
    }

    @Test
    void aKindNoCrdServesIsCannotStopWithTheReason() {
        WorkloadController workloads = new WorkloadController(client);
        WorkloadRef widget = new WorkloadRef("widgets.example.com/v1", "Widget", NS, "w");

        WorkloadVerdict verdict = verdict(workloads, widget);

        assertThat(verdict.kind()).isEqualTo(WorkloadVerdict.Kind.CannotStop);
        assertThat(verdict.why()).isEqualTo("no CRD serves Widget in widgets.example.com/v1 on this cluster, so the "
                + "operator cannot read or stop it");
        workloads.stopWatchingRecords();
    }

    private static WorkloadVerdict verdict(WorkloadController workloads, WorkloadRef ref) {
        return WorkloadVerdict.decide(workloads.inspect(ref), Owner.untilReleased("cap"), Intent.Stop, AT);
    }

    static GenericKubernetesResource stored(WorkloadKind kind, String name) {
        return client.genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource object) {
        return (Map<String, Object>) object.getAdditionalProperties().get("spec");
    }

    /** The spec with its suspend field set to {@code value} (a copy). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSuspend(Map<String, Object> spec, WorkloadKind kind, boolean value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(spec);
        List<String> path = kind.suspendPath().subList(1, kind.suspendPath().size());
        if (path.size() == 1) {
            copy.put(path.get(0), value);
        } else {
            Map<String, Object> inner = new java.util.LinkedHashMap<>((Map<String, Object>) copy.get(path.get(0)));
            inner.put(path.get(1), value);
            copy.put(path.get(0), inner);
        }
        return copy;
    }
}
