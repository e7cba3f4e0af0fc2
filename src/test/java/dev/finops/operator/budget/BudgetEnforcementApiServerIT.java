package dev.finops.operator.budget;

import dev.finops.operator.metrics.ActionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static java.nio.file.Files.readString;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.LivePods;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.api.SuspendedWorkload;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.assertj.core.groups.Tuple;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A budget's enforcement and a pool's idle scale-down share the workloads, one record per workload, against a
 * real kube-apiserver: an enforcing budget stops its free workloads and lists, untouched, one that carries a
 * pool's record.
 */
class BudgetEnforcementApiServerIT {

    private static final String NS = "team";

    private static RealApiServer api;
    private static KubernetesClient client;
    private static WorkloadController workloads;
    private static BudgetEnforcement enforcement;

    @BeforeAll
    static void start() {
        api = RealApiServer.start();
        client = api.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        workloads = new WorkloadController(client);
        enforcement = new BudgetEnforcement(workloads, new ConditionEvents(client, Clock.systemUTC()),
                new ActionMetrics(new SimpleMeterRegistry()));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aWorkloadHeldByAPoolsRecordIsListedAndLeftAloneWhileTheOthersAreSuspended() {
        WorkloadRef woken = deployment("notebook", 1);
        deployment("trainer", 2);
        // the pool scaled the notebook down; a person woke it up, so it runs with the pool's record on it
        workloads.stop(workloads.inspect(woken).orElseThrow(), "gpupool/training", Instant.now());
        client.apps().deployments().inNamespace(NS).withName("notebook").scale(1);

        BudgetEnforcement.Outcome outcome = enforcement.enforce(budget(), List.of(pod("notebook"), pod("trainer")),
                null, false, Instant.now());

        assertThat(outcome.stopped()).isEqualTo(1);
        assertThat(outcome.suspended()).anySatisfy(entry -> {
            assertThat(entry.getName()).isEqualTo("notebook");
            assertThat(entry.getState()).isEqualTo(SuspendedWorkloadState.HeldBy);
            assertThat(entry.getMessage()).startsWith("stopped or watched by gpupool/training");
        });
        assertThat(stored("notebook").getSpec().getReplicas()).isEqualTo(1);
        assertThat(stored("notebook").getMetadata().getAnnotations())
                .containsEntry("finops.dev/suspended-by", "gpupool/training");
        assertThat(stored("trainer").getSpec().getReplicas()).isZero();
        assertThat(stored("trainer").getMetadata().getAnnotations()).containsEntry("finops.dev/suspended-by", "cap")
                .containsEntry("finops.dev/replicas-before", "2");
        assertThat(stored("trainer").getMetadata().getLabels()).containsEntry("finops.dev/suspended", "true");
    }

    /**
     * The operator's ServiceAccount may patch Jobs but not Deployments (a family of kinds its RBAC leaves out): the
     * pass goes on, the Job is suspended and the Deployment is listed CannotStop with the rule to grant, in the API
     * server's own terms.
     */
    @Test
    void aKindTheServiceAccountMayNotPatchIsCannotStopWithTheRuleToGrantAndTheRestIsSuspended() throws IOException {
        String ns = "limited";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.resource(new RoleBuilder().withNewMetadata().withName("operator").withNamespace(ns).endMetadata()
                .addNewRule().withApiGroups("apps").withResources("deployments", "statefulsets", "replicasets")
                .withVerbs("get", "list", "watch").endRule()
                .addNewRule().withApiGroups("batch").withResources("jobs", "cronjobs")
                .withVerbs("get", "list", "watch", "patch").endRule()
                .addNewRule().withApiGroups("").withResources("events").withVerbs("create").endRule()
                .build()).create();
        client.resource(new RoleBindingBuilder().withNewMetadata().withName("operator").withNamespace(ns).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("operator")
                .endRoleRef().addNewSubject().withKind("ServiceAccount").withName("operator").withNamespace(ns)
                .endSubject().build()).create();
        client.resource(GpuFixtures.deployment(ns, "server", 2)).create();
        client.resource(new JobBuilder().withNewMetadata().withName("train").withNamespace(ns).endMetadata()
                .withNewSpec().withSuspend(false).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("registry.example/gpu:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        Config config = Config.fromKubeconfig(readString(api.kubeconfig()));
        config.setImpersonateUsername("system:serviceaccount:" + ns + ":operator");
        config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated");
        try (KubernetesClient operator = new KubernetesClientBuilder().withConfig(config).build()) {
            WorkloadController limited = new WorkloadController(operator);
            BudgetEnforcement asOperator = new BudgetEnforcement(limited, new ConditionEvents(operator,
                    Clock.systemUTC()), new ActionMetrics(new SimpleMeterRegistry()));
            ExperimentBudget budget = budget();
            budget.getMetadata().setNamespace(ns);

            BudgetEnforcement.Outcome outcome = asOperator.enforce(budget, List.of(pod(ns, "Deployment", "apps/v1",
                    "server"), pod(ns, "Job", "batch/v1", "train")), null, false, Instant.now());

            assertThat(outcome.stopped()).isEqualTo(1);
            assertThat(outcome.suspended()).extracting(SuspendedWorkload::getName, SuspendedWorkload::getState,
                    SuspendedWorkload::getMessage).containsExactly(
                            Tuple.tuple("server", SuspendedWorkloadState.CannotStop, "the operator may not stop "
                                    + "Deployment limited/server: grant patch on deployments.apps in namespace "
                                    + "limited to its ServiceAccount"),
                            Tuple.tuple("train", SuspendedWorkloadState.Suspended, null));
        }
        assertThat(client.batch().v1().jobs().inNamespace(ns).withName("train").get().getSpec().getSuspend()).isTrue();
        assertThat(client.apps().deployments().inNamespace(ns).withName("server").get().getSpec().getReplicas())
                .isEqualTo(2);
    }

    /** A live pod of the workload, owned as its controller would own it, as the pod informer maps it. */
    private static GpuPod pod(String ns, String kind, String apiVersion, String owner) {
        io.fabric8.kubernetes.api.model.Pod pod = "Job".equals(kind)
                ? LivePods.ofJob(client, client.batch().v1().jobs().inNamespace(ns).withName(owner).get(), owner + "-x1")
                : LivePods.ofDeployment(client, client.apps().deployments().inNamespace(ns).withName(owner).get(),
                        "abc12", owner + "-abc12");
        return dev.finops.operator.cluster.ClusterMapping.gpuPod(pod).orElseThrow();
    }

    private static ExperimentBudget budget() {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName("cap");
        budget.getMetadata().setNamespace(NS);
        return budget;
    }

    private static GpuPod pod(String deployment) {
        // a live pod of the Deployment's ReplicaSet: enforcement acts only through a pod's verified owners
        LivePods.ofDeployment(client, stored(deployment), "abc12", deployment + "-abc12");
        return new GpuPod(deployment + "-uid", NS, deployment + "-abc12", Map.of(), "gpu-node-1",
                new WorkloadKey("Deployment", deployment), "apps/v1", Instant.now().minusSeconds(600), null,
                Map.of("nvidia.com/gpu", 1L));
    }

    private static WorkloadRef deployment(String name, int replicas) {
        client.resource(GpuFixtures.deployment(NS, name, replicas)).create();
        return new WorkloadRef("apps/v1", "Deployment", NS, name);
    }

    private static Deployment stored(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }
}
