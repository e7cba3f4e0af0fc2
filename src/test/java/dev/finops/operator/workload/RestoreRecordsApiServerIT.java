package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore records that cannot be forged into actions, on a real kube-apiserver with the budget CRD: a record is
 * bound to the workload's uid, names an owner that exists, parses into what the operator writes, and gives back
 * the owner's own copy of the replicas when the two disagree; what does not hold is ignored and said. A record of
 * the previous version (no uid) is still honoured, and rewritten in the new form when the operator writes it.
 */
class RestoreRecordsApiServerIT {

    private static final String NS = "records";
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static RealApiServer api;
    private static KubernetesClient client;
    private static WorkloadController workloads;

    @BeforeAll
    static void start() {
        api = RealApiServer.start();
        client = api.client();
        api.installCrds();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client.resource(new GenericKubernetesResourceBuilder().withApiVersion("finops.dev/v1alpha1")
                .withKind("ExperimentBudget").withNewMetadata().withNamespace(NS).withName("cap").endMetadata()
                .addToAdditionalProperties("spec", Map.of("team", "ml", "limit", "100", "period", "Total",
                        "selector", Map.of("matchLabels", Map.of("team", "ml"))))
                .build()).create();
        workloads = new WorkloadController(client);
    }

    @AfterAll
    static void stop() {
        workloads.stopWatchingRecords();
        api.close();
    }

    @Test
    void aRecordOfThePreviousVersionIsHonouredAndGivesBackExactly() {
        WorkloadRef ref = deployment("upgraded", 0, legacyRecord("cap", "3"));

        WorkloadState found = workloads.inspect(ref).orElseThrow();
        assertThat(found.record()).hasValueSatisfying(record -> assertThat(record.uid()).isNull());
        assertThat(found.recordProblem()).isNull();
        assertThat(workloads.recordedBy(NS, "cap")).contains(ref);
        assertThat(WorkloadVerdict.release(Optional.of(found), "cap").kind()).isEqualTo(WorkloadVerdict.Kind.Restore);
        workloads.restore(found);

        assertThat(stored("upgraded").getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored("upgraded").getMetadata().getAnnotations()).doesNotContainKey(RestoreRecord.SUSPENDED_BY);
    }

    @Test
    void aRecordOfThePreviousVersionIsRewrittenBoundToItsWorkloadWhenTheOperatorWritesIt() {
        WorkloadRef ref = deployment("woken", 2, legacyRecord("cap", "2"));

        workloads.markResumedByUser(workloads.inspect(ref).orElseThrow(), AT);

        Deployment rewritten = stored("woken");
        assertThat(rewritten.getMetadata().getAnnotations())
                .containsEntry(RestoreRecord.SUSPENDED_UID, rewritten.getMetadata().getUid())
                .containsEntry(RestoreRecord.RESUMED_BY_USER, AT.toString())
                .containsEntry(RestoreRecord.REPLICAS_BEFORE, "2");
    }

    @Test
    void aRecordWrittenForAnotherObjectIsIgnoredAndSaid() {
        Map<String, String> copied = new HashMap<>(legacyRecord("cap", "1000"));
        copied.put(RestoreRecord.SUSPENDED_UID, "0b7c1d2e-copied-from-elsewhere");
        WorkloadRef ref = deployment("copied", 0, copied);

        WorkloadState found = workloads.inspect(ref).orElseThrow();

        assertThat(found.record()).isEmpty();
        assertThat(found.recordProblem()).isEqualTo("the restore record of cap on it was written for another object "
                + "(uid 0b7c1d2e-copied-from-elsewhere, not " + stored("copied").getMetadata().getUid() + "); ignored");
        assertThat(new WorkloadController(client).recordedBy(NS, "cap")).doesNotContain(ref);
    }

    @Test
    void aRecordNamingAnOwnerThatDoesNotExistHoldsNothing() {
        WorkloadRef ref = deployment("dodging", 2, Map.of(RestoreRecord.SUSPENDED_BY, "made-up",
                RestoreRecord.SUSPENDED_AT, AT.toString(), RestoreRecord.MODE, "ScaleToZero"));

        WorkloadState found = workloads.inspect(ref).orElseThrow();

        assertThat(found.recordProblem()).isEqualTo("the restore record on it names made-up, which does not exist; "
                + "ignored");
        assertThat(WorkloadVerdict.decide(found, Owner.untilReleased("cap"), Intent.Stop, AT).kind())
                .as("stopped like any workload, not HeldByAnotherOwner").isEqualTo(WorkloadVerdict.Kind.Stop);
    }

    @Test
    void aRecordOfNonsenseIsIgnoredAndSaid() {
        WorkloadRef huge = deployment("huge", 0, legacyRecord("cap", "1000000"));
        WorkloadRef garbled = deployment("garbled", 0, Map.of(RestoreRecord.SUSPENDED_BY, "cap",
                RestoreRecord.SUSPENDED_AT, "yesterday", RestoreRecord.MODE, "ScaleToZero"));

        assertThat(workloads.inspect(huge).orElseThrow().recordProblem())
                .isEqualTo("finops.dev/replicas-before is 1000000, outside 0..10000; ignored");
        assertThat(workloads.inspect(garbled).orElseThrow().recordProblem()).isEqualTo("the record of cap does not "
                + "parse (finops.dev/suspended-at: yesterday, finops.dev/suspend-mode: ScaleToZero, "
                + "finops.dev/replicas-before: null); ignored");
        assertThat(workloads.inspect(huge).orElseThrow().record()).isEmpty();
    }

    @Test
    void theOwnersOwnCopyOfTheReplicasWinsOverAnEditedRecord() {
        WorkloadRef ref = deployment("edited", 2, Map.of());
        workloads.stop(workloads.inspect(ref).orElseThrow(), "cap", AT);
        client.apps().deployments().inNamespace(NS).withName("edited").edit(d -> {
            d.getMetadata().getAnnotations().put(RestoreRecord.REPLICAS_BEFORE, "1000");
            return d;
        });

        WorkloadState found = workloads.inspect(ref).orElseThrow().withOwnersCopy(2);
        workloads.restore(found);

        assertThat(found.recordProblem()).isEqualTo("finops.dev/replicas-before on the workload says 1000, but cap "
                + "recorded 2 when it stopped it: 2 is given back");
        assertThat(stored("edited").getSpec().getReplicas()).isEqualTo(2);
    }

    /** On this server no ML CRD is installed: a table kind, and a pod's owner of a kind no CRD serves. */
    @Test
    void aKindOfTheTableWithoutItsCrdAndAPodOwnedByAnUnservedKindAreCannotStopNeverAnException() {
        WorkloadRef pytorch = new WorkloadRef("kubeflow.org/v1", "PyTorchJob", NS, "bert");
        io.fabric8.kubernetes.api.model.Pod pod = client.resource(MlObjects.pod(NS, "w-0", Map.of(),
                new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("widgets.example.com/v1")
                        .withKind("Widget").withName("w").withUid("u-w").withController(true).build())).create();

        WorkloadRef owner = workloads.workloadOf(dev.finops.operator.cluster.ClusterMapping.gpuPod(pod).orElseThrow());

        assertThat(workloads.inspect(pytorch).orElseThrow().cannotStopReason()).isEqualTo("no CRD serves PyTorchJob "
                + "in kubeflow.org/v1 on this cluster, so the operator cannot read or stop it");
        assertThat(owner).isEqualTo(new WorkloadRef("widgets.example.com/v1", "Widget", NS, "w"));
        assertThat(WorkloadVerdict.decide(workloads.inspect(owner), Owner.untilReleased("cap"), Intent.Stop, AT)
                .why()).isEqualTo("no CRD serves Widget in widgets.example.com/v1 on this cluster, so the operator "
                        + "cannot read or stop it");
    }

    private static Map<String, String> legacyRecord(String owner, String replicasBefore) {
        return Map.of(RestoreRecord.SUSPENDED_BY, owner, RestoreRecord.SUSPENDED_AT, AT.toString(),
                RestoreRecord.MODE, "ScaleToZero", RestoreRecord.REPLICAS_BEFORE, replicasBefore);
    }

    private static WorkloadRef deployment(String name, int replicas, Map<String, String> annotations) {
        Deployment deployment = GpuFixtures.deployment(NS, name, replicas);
        deployment.getMetadata().setAnnotations(annotations);
        deployment.getMetadata().setLabels(annotations.isEmpty() ? Map.of() : Map.of(RestoreRecord.LABEL, "true"));
        client.resource(deployment).create();
        return new WorkloadRef("apps/v1", "Deployment", NS, name);
    }

    private static Deployment stored(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }
}
