package dev.finops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.cluster.ClusterMapping;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod's top-level workload, from live objects on a real kube-apiserver, with the owner references and labels the
 * upstream controllers set: PyTorchJob pods owned by the PyTorchJob, RayCluster pods of a RayJob, the Jobs of a
 * TrainJob's JobSet, the leader and worker pods of a LeaderWorkerSet. A pod that claims an owner it does not
 * belong to is still charged to its claim, but leads to no workload and is CannotStop, saying why.
 */
class OwnerChainApiServerIT {

    private static final String NS = "chains";

    private static RealApiServer api;
    private static KubernetesClient client;
    private static WorkloadController workloads;

    @BeforeAll
    static void start() {
        api = RealApiServer.start();
        client = api.client();
        WorkloadCrds.installAll(client);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        workloads = new WorkloadController(client);
    }

    @AfterAll
    static void stop() {
        workloads.stopWatchingRecords();
        api.close();
    }

    @Test
    void aPyTorchJobsPodLeadsToThePyTorchJob() {
        HasMetadata job = create(WorkloadKind.PYTORCH_JOB, "bert");
        Pod pod = pod("bert-master-0", Map.of("training.kubeflow.org/job-name", "bert"), job);

        assertThat(workloads.workloadOf(gpuPod(pod))).isEqualTo(ref(WorkloadKind.PYTORCH_JOB, "bert"));
    }

    @Test
    void theHeadPodOfARayJobsClusterLeadsToTheRayJob() {
        HasMetadata rayJob = create(WorkloadKind.RAY_JOB, "tune");
        GenericKubernetesResource cluster = MlObjects.object(WorkloadKind.RAY_CLUSTER, NS, "tune-raycluster-x7k2p",
                MlObjects.rayClusterSpec());
        cluster.getMetadata().setLabels(Map.of("ray.io/originated-from-cr-name", "tune", "ray.io/originated-from-crd",
                "RayJob"));
        cluster.getMetadata().setOwnerReferences(java.util.List.of(MlObjects.controlledBy(rayJob)));
        HasMetadata created = client.resource(cluster).create();
        Pod head = pod("tune-raycluster-x7k2p-head", Map.of("ray.io/cluster", "tune-raycluster-x7k2p",
                "ray.io/node-type", "head"), created);

        assertThat(ClusterMapping.gpuPod(head).orElseThrow().workload())
                .isEqualTo(new WorkloadKey("RayCluster", "tune-raycluster-x7k2p")); // what the pod alone says
        assertThat(workloads.workloadOf(gpuPod(head))).isEqualTo(ref(WorkloadKind.RAY_JOB, "tune"));
    }

    @Test
    void aPodOfATrainJobsJobSetLeadsThroughTheJobAndTheJobSetToTheTrainJob() {
        HasMetadata trainJob = create(WorkloadKind.TRAIN_JOB, "llama");
        GenericKubernetesResource jobSet = MlObjects.object(WorkloadKind.JOB_SET, NS, "llama",
                MlObjects.runningSpec(WorkloadKind.JOB_SET));
        jobSet.getMetadata().setOwnerReferences(java.util.List.of(MlObjects.controlledBy(trainJob)));
        HasMetadata set = client.resource(jobSet).create();
        Map<String, String> labels = Map.of("jobset.sigs.k8s.io/jobset-name", "llama");
        HasMetadata job = client.resource(new JobBuilder().withNewMetadata().withNamespace(NS).withName("llama-node-0")
                .withLabels(labels).withOwnerReferences(MlObjects.controlledBy(set)).endMetadata()
                .withNewSpec().withSuspend(true).withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("main").withImage("x:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        Map<String, String> podLabels = new java.util.HashMap<>(labels);
        podLabels.putAll(((io.fabric8.kubernetes.api.model.batch.v1.Job) job).getSpec().getSelector().getMatchLabels());
        Pod pod = pod("llama-node-0-0-abcde", podLabels, job);

        assertThat(ClusterMapping.gpuPod(pod).orElseThrow().workload()).isEqualTo(new WorkloadKey("JobSet", "llama"));
        assertThat(workloads.workloadOf(gpuPod(pod))).isEqualTo(ref(WorkloadKind.TRAIN_JOB, "llama"));
    }

    @Test
    void aWorkerPodOfALeaderWorkerSetLeadsThroughItsLeaderToTheLeaderWorkerSet() {
        HasMetadata lws = create(WorkloadKind.LEADER_WORKER_SET, "vllm");
        Map<String, String> group = Map.of("leaderworkerset.sigs.k8s.io/name", "vllm");
        HasMetadata leaders = statefulSet("vllm", group, lws);
        Pod leader = pod("vllm-0", group, leaders);
        HasMetadata workers = statefulSet("vllm-0", group, leader);
        Pod worker = pod("vllm-0-1", group, workers);

        assertThat(workloads.workloadOf(gpuPod(worker))).isEqualTo(ref(WorkloadKind.LEADER_WORKER_SET, "vllm"));
        assertThat(workloads.workloadOf(gpuPod(leader))).isEqualTo(ref(WorkloadKind.LEADER_WORKER_SET, "vllm"));
    }

    @Test
    void aPodClaimingADeploymentsReplicaSetItIsNotSelectedByIsChargedButNeverGetsTheDeploymentStopped() {
        Deployment victim = client.resource(GpuFixtures.deployment(NS, "victim", 2)).create();
        HasMetadata replicaSet = client.resource(new ReplicaSetBuilder().withNewMetadata().withNamespace(NS)
                .withName("victim-7d9f8").withLabels(Map.of("app", "victim", "pod-template-hash", "7d9f8"))
                .withOwnerReferences(MlObjects.controlledBy(victim)).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", "victim")
                .addToMatchLabels("pod-template-hash", "7d9f8").endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "victim", "pod-template-hash", "7d9f8"))
                .endMetadata().withNewSpec().addNewContainer().withName("main").withImage("x:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        Pod forged = pod("victim-7d9f8-zzzzz", Map.of("pod-template-hash", "7d9f8"), replicaSet);

        GpuPod charged = gpuPod(forged);
        assertThat(charged.workload()).isEqualTo(new WorkloadKey("Deployment", "victim")); // the cost side keeps it
        WorkloadRef resolved = workloads.workloadOf(charged);
        assertThat(resolved).isEqualTo(new WorkloadRef("v1", "Pod", NS, "victim-7d9f8-zzzzz"));
        WorkloadVerdict verdict = WorkloadVerdict.decide(workloads.inspect(resolved), Owner.untilReleased("cap"),
                Intent.Stop, Instant.now());
        assertThat(verdict.kind()).isEqualTo(WorkloadVerdict.Kind.CannotStop);
        assertThat(verdict.why()).isEqualTo("the ownership of pod victim-7d9f8-zzzzz could not be verified: it claims "
                + "ReplicaSet chains/victim-7d9f8 as its controller, which does not select it (its spec.selector does "
                + "not match the labels of Pod victim-7d9f8-zzzzz); the pod is charged, but never gets that workload "
                + "stopped");
    }

    @Test
    void aPodNamingTheRightOwnerWithAnotherUidLeadsToNoWorkload() {
        HasMetadata job = create(WorkloadKind.PYTORCH_JOB, "resnet");
        OwnerReference forgedUid = new OwnerReferenceBuilder(MlObjects.controlledBy(job))
                .withUid("00000000-0000-0000-0000-000000000000").build();
        Pod forged = client.resource(MlObjects.pod(NS, "resnet-master-0", Map.of("training.kubeflow.org/job-name",
                "resnet"), forgedUid)).create();

        WorkloadRef resolved = workloads.workloadOf(gpuPod(forged));

        assertThat(resolved).isEqualTo(new WorkloadRef("v1", "Pod", NS, "resnet-master-0"));
        assertThat(workloads.inspect(resolved).orElseThrow().cannotStopReason()).isEqualTo("the ownership of pod "
                + "resnet-master-0 could not be verified: it claims PyTorchJob chains/resnet as its controller, which "
                + "has uid " + job.getMetadata().getUid() + ", not the 00000000-0000-0000-0000-000000000000 its owner "
                + "reference names; the pod is charged, but never gets that workload stopped");
    }

    @Test
    void aBarePodIsItsOwnCannotStop() {
        Pod bare = client.resource(MlObjects.pod(NS, "notebook", Map.of(), null)).create();

        WorkloadRef resolved = workloads.workloadOf(gpuPod(bare));

        assertThat(workloads.inspect(resolved).orElseThrow().cannotStopReason())
                .isEqualTo("a bare Pod cannot be suspended without deleting it");
    }

    @Test
    void aFamilyTheChartLeftOffIsCannotStopAndItsRefusalNamesTheChartValueToSet() {
        create(WorkloadKind.RAY_JOB, "no-rights");
        create(WorkloadKind.PYTORCH_JOB, "read-only");
        // the operator's ServiceAccount may read PyTorchJobs but not patch them, and may not touch ray.io at all
        client.resource(new RoleBuilder().withNewMetadata().withNamespace(NS).withName("read-pytorchjobs")
                .endMetadata().addNewRule().withApiGroups("kubeflow.org").withResources("pytorchjobs")
                .withVerbs("get").endRule().build()).create();
        client.resource(new RoleBindingBuilder().withNewMetadata().withNamespace(NS).withName("read-pytorchjobs")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                .withName("read-pytorchjobs").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withNamespace(NS).withName("operator").endSubject().build()).create();
        try (KubernetesClient operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                client.getConfiguration()).withImpersonateUsername("system:serviceaccount:" + NS + ":operator")
                .withImpersonateGroups("system:serviceaccounts", "system:authenticated").build()).build()) {
            WorkloadController limited = new WorkloadController(operator);

            WorkloadState ray = limited.inspect(ref(WorkloadKind.RAY_JOB, "no-rights")).orElseThrow();
            WorkloadState pytorch = limited.inspect(ref(WorkloadKind.PYTORCH_JOB, "read-only")).orElseThrow();

            assertThat(ray.cannotStopReason()).isEqualTo("the operator may not get rayjobs.ray.io: grant get on "
                    + "rayjobs.ray.io (set rbac.ray.enabled=true in the chart)");
            assertThat(pytorch.stoppable()).isTrue();
            assertThatThrownBy(() -> limited.stop(pytorch, "cap", Instant.now()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageStartingWith("the operator may not patch pytorchjobs.kubeflow.org: grant patch on "
                            + "pytorchjobs.kubeflow.org (set rbac.kubeflow.enabled=true in the chart)");
            limited.stopWatchingRecords();
        }
    }

    private static HasMetadata create(WorkloadKind kind, String name) {
        return client.resource(MlObjects.object(kind, NS, name, MlObjects.runningSpec(kind))).create();
    }

    private static Pod pod(String name, Map<String, String> labels, HasMetadata owner) {
        return client.resource(MlObjects.pod(NS, name, labels, MlObjects.controlledBy(owner))).create();
    }

    private static HasMetadata statefulSet(String name, Map<String, String> labels, HasMetadata owner) {
        return client.resource(new StatefulSetBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .withLabels(labels).withOwnerReferences(MlObjects.controlledBy(owner)).endMetadata()
                .withNewSpec().withServiceName(name).withReplicas(1).withNewSelector().addToMatchLabels(labels)
                .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName("main").withImage("x:1").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    private static GpuPod gpuPod(Pod pod) {
        return ClusterMapping.gpuPod(pod).orElseThrow();
    }

    private static WorkloadRef ref(WorkloadKind kind, String name) {
        return new WorkloadRef(kind.apiVersion(), kind.kind(), NS, name);
    }
}
