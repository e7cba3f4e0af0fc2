package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.workload.WorkloadCrds;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} into a real API server: every object of the release is created, the operator's pod passes
 * the restricted Pod Security Standard, {@code kubectl auth can-i} as the chart's ServiceAccount proves the RBAC
 * both ways (cluster-wide and namespace-scoped releases), and {@code helm upgrade} / {@code helm uninstall} keep
 * the custom resources.
 */
class ChartInstallApiServerIT {

    private static final String NAMESPACE = "finops-system";
    private static final String SA = NAMESPACE + ":finops-gpu-finops-operator";
    private static final String SCOPED_NAMESPACE = "finops-scoped";
    private static final String SCOPED_SA = SCOPED_NAMESPACE + ":scoped-gpu-finops-operator";

    private static RealApiServer server;
    private static KubernetesClient client;
    private static Helm helm;
    private static Kubectl kubectl;
    private static String scopedInstallOutput;

    @BeforeAll
    static void installTwoReleases() {
        server = RealApiServer.start();
        client = server.client();
        helm = Helm.against(server.kubeconfig());
        kubectl = new Kubectl(server.kubeconfig());
        StandInCrds.installPrometheusOperator(client);
        StandInCrds.installCapacityProviders(client);
        WorkloadCrds.installAll(client); // kubectl auth can-i resolves a resource through discovery
        for (String namespace : List.of(NAMESPACE, SCOPED_NAMESPACE, "team-a", "team-b")) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build())
                    .serverSideApply();
        }
        helm.install("finops", NAMESPACE, ChartTemplateApiServerIT.EVERYTHING).orFail();
        scopedInstallOutput = helm.install("scoped", SCOPED_NAMESPACE, "--set", "watchNamespaces={team-a}").orFail()
                .stdout();
    }

    @AfterAll
    static void stopApiServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void installCreatesEveryObjectOfTheReleaseAndTheCrds() {
        for (String release : List.of("finops", "scoped")) {
            String namespace = release.equals("finops") ? NAMESPACE : SCOPED_NAMESPACE;
            List<String> objects = helm.manifest(release, namespace).identities();
            assertThat(objects).hasSizeGreaterThan(10);
            for (String object : objects) {
                String[] parts = object.split("/");
                String kind = parts[0];
                List<String> args = parts.length == 3 ? List.of("get", kind, parts[2], "-n", parts[1], "-o", "name")
                        : List.of("get", kind, parts[1], "-o", "name");
                ExternalCommand.Result get = kubectl.run(args.toArray(String[]::new));
                assertThat(get.succeeded()).as("%s of release %s exists: %s", object, release, get.stderr()).isTrue();
            }
        }
        assertThat(helm.manifest("finops", NAMESPACE).identities()).contains(
                "ServiceMonitor/" + NAMESPACE + "/finops-gpu-finops-operator",
                "PrometheusRule/" + NAMESPACE + "/finops-gpu-finops-operator",
                "ConfigMap/" + NAMESPACE + "/finops-gpu-finops-operator-dashboard",
                "ConfigMap/" + NAMESPACE + "/finops-gpu-finops-operator-prices");
        assertThat(helm.manifest("scoped", SCOPED_NAMESPACE).identities()).contains(
                "Role/team-a/scoped-gpu-finops-operator", "Role/default/scoped-gpu-finops-operator");
        for (String crd : List.of("experimentbudgets.finops.dev", "gpupools.finops.dev")) {
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crd).get()).as(crd).isNotNull();
        }
    }

    @Test
    void installPrintsWhatToDoNext() {
        assertThat(scopedInstallOutput).contains("STATUS: deployed",
                "It reconciles ExperimentBudgets in: team-a",
                "kubectl -n finops-scoped rollout status deployment/scoped-gpu-finops-operator",
                "kubectl -n finops-scoped get lease gpu-finops-operator-leader",
                "namespace: team-a",
                "ConfigMap finops-scoped/scoped-gpu-finops-operator-prices, key prices.csv",
                "Idle GPU detection needs Prometheus with DCGM metrics: set prometheus.url.",
                "kubectl apply --server-side -f <chart>/crds/");
    }

    @Test
    void operatorPodPassesTheRestrictedPodSecurityStandard() {
        Pod pod = podOf(operatorTemplate(), "operator-as-templated");
        Pod admitted = client.pods().inNamespace(NAMESPACE).resource(pod).dryRun().create();
        assertThat(admitted.getSpec().getContainers()).hasSize(1);

        // the control: the same pod with one hardening setting removed is refused by the same admission
        Pod weakened = podOf(operatorTemplate(), "operator-weakened");
        weakened.getSpec().getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
        assertThatThrownBy(() -> client.pods().inNamespace(NAMESPACE).resource(weakened).dryRun().create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
                .hasMessageContaining("allowPrivilegeEscalation != false");
    }

    @Test
    void serviceAccountCanDoWhatTheOperatorDoes() {
        assertThat(kubectl.canI(SA, "list", "pods", "--all-namespaces")).isTrue();
        assertThat(kubectl.canI(SA, "watch", "pods", "--all-namespaces")).isTrue();
        assertThat(kubectl.canI(SA, "watch", "nodes")).isTrue();
        assertThat(kubectl.canI(SA, "list", "experimentbudgets.finops.dev", "--all-namespaces")).isTrue();
        assertThat(kubectl.canI(SA, "patch", "experimentbudgets.finops.dev", "-n", "team-b")).isTrue();
        assertThat(kubectl.canI(SA, "patch", "experimentbudgets.finops.dev", "--subresource=status", "-n", "team-b"))
                .isTrue();
        assertThat(kubectl.canI(SA, "update", "experimentbudgets.finops.dev", "--subresource=finalizers", "-n",
                "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "patch", "gpupools.finops.dev", "--subresource=status")).isTrue();
        assertThat(kubectl.canI(SA, "create", "events", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "create", "events", "-n", "default")).isTrue();
        assertThat(kubectl.canI(SA, "create", "leases.coordination.k8s.io", "-n", NAMESPACE)).isTrue();
        assertThat(kubectl.canI(SA, "get", "leases.coordination.k8s.io/gpu-finops-operator-leader", "-n", NAMESPACE))
                .isTrue();
        assertThat(kubectl.canI(SA, "patch", "leases.coordination.k8s.io/gpu-finops-operator-leader", "-n", NAMESPACE))
                .isTrue();
        assertThat(kubectl.canI(SA, "watch", "configmaps/finops-gpu-finops-operator-prices", "-n", NAMESPACE)).isTrue();
        // enforcement: restore records, suspend, scale
        assertThat(kubectl.canI(SA, "list", "deployments.apps", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "patch", "jobs.batch", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "get", "cronjobs.batch", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "update", "statefulsets.apps", "--subresource=scale", "-n", "team-a")).isTrue();
        // the release with every capacity provider enabled
        assertThat(kubectl.canI(SA, "patch", "nodepools.karpenter.sh")).isTrue();
        assertThat(kubectl.canI(SA, "update", "rollouts.argoproj.io", "--subresource=scale", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "update", "machinedeployments.cluster.x-k8s.io", "--subresource=scale", "-n",
                "capi")).isTrue();
        // GpuPool scale targets: Cluster API node groups and the listed kind, nothing else of theirs
        assertThat(kubectl.canI(SA, "update", "machinesets.cluster.x-k8s.io", "--subresource=scale", "-n", "team-a"))
                .isTrue();
        assertThat(kubectl.canI(SA, "update", "nodegroups.nodes.example.com", "--subresource=scale", "-n", "team-a"))
                .isTrue();
        assertThat(kubectl.canI(SA, "get", "nodegroups.nodes.example.com", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SA, "patch", "nodegroups.nodes.example.com", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "update", "machines.cluster.x-k8s.io", "--subresource=scale", "-n", "team-a"))
                .isFalse();
        assertThat(kubectl.canI(SA, "patch", "machinedeployments.cluster.x-k8s.io", "-n", "team-a")).isFalse();
    }

    /**
     * Each ML workload family is granted only when its chart value is on: the release with every option on may
     * stop them, the default (scoped) release may not touch any of them.
     */
    @Test
    void mlWorkloadFamiliesAreGrantedOnlyWhereTheirChartValueIsOn() {
        List<String[]> granted = List.of(
                new String[] {"patch", "pytorchjobs.kubeflow.org"}, new String[] {"watch", "jaxjobs.kubeflow.org"},
                new String[] {"get", "mpijobs.kubeflow.org"}, new String[] {"patch", "trainjobs.trainer.kubeflow.org"},
                new String[] {"list", "jobsets.jobset.x-k8s.io"}, new String[] {"patch", "rayjobs.ray.io"},
                new String[] {"patch", "rayclusters.ray.io"}, new String[] {"get", "leaderworkersets.leaderworkerset.x-k8s.io"},
                new String[] {"patch", "workloads.kueue.x-k8s.io"}, new String[] {"list", "workloads.kueue.x-k8s.io"});
        for (String[] right : granted) {
            assertThat(kubectl.canI(SA, right[0], right[1], "-n", "team-a")).as("%s %s, every family on", right[0],
                    right[1]).isTrue();
            assertThat(kubectl.canI(SCOPED_SA, right[0], right[1], "-n", "team-a")).as("%s %s, families off by default",
                    right[0], right[1]).isFalse();
        }
        assertThat(kubectl.canI(SA, "update", "leaderworkersets.leaderworkerset.x-k8s.io", "--subresource=scale", "-n",
                "team-a")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "update", "leaderworkersets.leaderworkerset.x-k8s.io",
                "--subresource=scale", "-n", "team-a")).isFalse();
        // never more than the record, the suspend field and /scale: no create, delete or update of the objects
        for (String resource : List.of("pytorchjobs.kubeflow.org", "rayclusters.ray.io", "workloads.kueue.x-k8s.io",
                "leaderworkersets.leaderworkerset.x-k8s.io")) {
            assertThat(kubectl.canI(SA, "delete", resource, "-n", "team-a")).as("delete %s", resource).isFalse();
            assertThat(kubectl.canI(SA, "create", resource, "-n", "team-a")).as("create %s", resource).isFalse();
            assertThat(kubectl.canI(SA, "update", resource, "-n", "team-a")).as("update %s", resource).isFalse();
        }
        assertThat(kubectl.canI(SA, "watch", "workloads.kueue.x-k8s.io", "-n", "team-a")).isFalse();
    }

    @Test
    void serviceAccountCannotReadSecretsDeletePodsOrTouchWhatItDoesNotManage() {
        for (String namespace : List.of(NAMESPACE, "team-a", "kube-system")) {
            assertThat(kubectl.canI(SA, "get", "secrets", "-n", namespace)).as("get secrets in %s", namespace).isFalse();
            assertThat(kubectl.canI(SA, "list", "secrets", "-n", namespace)).as("list secrets in %s", namespace).isFalse();
        }
        assertThat(kubectl.canI(SA, "delete", "pods", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "create", "pods", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "create", "pods", "--subresource=eviction", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "get", "pods", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "patch", "nodes")).isFalse();
        assertThat(kubectl.canI(SA, "delete", "experimentbudgets.finops.dev", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "create", "gpupools.finops.dev")).isFalse();
        assertThat(kubectl.canI(SA, "delete", "jobs.batch", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "create", "deployments.apps", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "update", "deployments.apps", "-n", "team-a")).as("only /scale is replaced").isFalse();
        assertThat(kubectl.canI(SA, "patch", "daemonsets.apps", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "get", "configmaps/other", "-n", NAMESPACE)).isFalse();
        assertThat(kubectl.canI(SA, "get", "configmaps", "-n", "kube-system")).isFalse();
        assertThat(kubectl.canI(SA, "patch", "leases.coordination.k8s.io/kube-scheduler", "-n", NAMESPACE)).isFalse();
        assertThat(kubectl.canI(SA, "delete", "leases.coordination.k8s.io/gpu-finops-operator-leader", "-n",
                NAMESPACE)).isFalse();
        assertThat(kubectl.canI(SA, "create", "leases.coordination.k8s.io", "-n", "team-a")).isFalse();
        assertThat(kubectl.canI(SA, "update", "customresourcedefinitions.apiextensions.k8s.io")).isFalse();
        assertThat(kubectl.canI(SA, "create", "clusterrolebindings.rbac.authorization.k8s.io")).isFalse();
        assertThat(kubectl.canI(SA, "*", "*", "--all-namespaces")).isFalse();
    }

    @Test
    void namespaceScopedReleaseTouchesBudgetsOnlyInItsNamespacesButReadsPodsAndNodesEverywhere() {
        assertThat(kubectl.canI(SCOPED_SA, "list", "experimentbudgets.finops.dev", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "patch", "experimentbudgets.finops.dev", "--subresource=status", "-n",
                "team-a")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "create", "events", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "create", "events", "-n", "default")).as("GpuPool events").isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "list", "pods", "--all-namespaces")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "watch", "nodes")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "patch", "gpupools.finops.dev", "--subresource=status")).isTrue();

        assertThat(kubectl.canI(SCOPED_SA, "list", "experimentbudgets.finops.dev", "-n", "team-b")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "get", "experimentbudgets.finops.dev", "-n", "team-b")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "patch", "experimentbudgets.finops.dev", "--subresource=status", "-n",
                "team-b")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "list", "experimentbudgets.finops.dev", "--all-namespaces")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "create", "events", "-n", "team-b")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "patch", "jobs.batch", "-n", "team-a")).isTrue();
        assertThat(kubectl.canI(SCOPED_SA, "patch", "jobs.batch", "-n", "team-b")).isFalse();
        // no GpuPool scale-target rights unless opted in, and workload /scale only where budgets are watched
        assertThat(kubectl.canI(SCOPED_SA, "update", "machinedeployments.cluster.x-k8s.io", "--subresource=scale",
                "-n", "capi")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "update", "deployments.apps", "--subresource=scale", "-n", "kube-system"))
                .isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "list", "deployments.apps", "--all-namespaces")).isFalse();
        assertThat(kubectl.canI(SCOPED_SA, "get", "secrets", "-n", "team-a")).isFalse();
    }

    @Test
    void upgradeAndUninstallKeepTheCustomResources() {
        ExperimentBudget budget = client.resource(Fixtures.budget("kept", "team-a")).create();
        GpuPool pool = client.resource(Fixtures.pool("kept")).create();

        helm.upgrade("scoped", SCOPED_NAMESPACE, "--reuse-values", "--set", "config.passInterval=1m",
                "--set", "watchNamespaces={team-a,team-b}").orFail();
        assertThat(client.resources(ExperimentBudget.class).inNamespace("team-a").withName("kept").get()
                .getMetadata().getUid()).isEqualTo(budget.getMetadata().getUid());
        assertThat(kubectl.canI(SCOPED_SA, "list", "experimentbudgets.finops.dev", "-n", "team-b"))
                .as("the upgrade granted the new namespace").isTrue();
        assertThat(ChartTemplateApiServerIT.env(helm.manifest("scoped", SCOPED_NAMESPACE)))
                .containsEntry("FINOPS_PASS_INTERVAL", "1m");

        helm.run(List.of("uninstall", "scoped", "--namespace", SCOPED_NAMESPACE, "--wait")).orFail();
        assertThat(client.resources(ExperimentBudget.class).inNamespace("team-a").withName("kept").get()
                .getMetadata().getUid()).isEqualTo(budget.getMetadata().getUid());
        assertThat(client.resources(GpuPool.class).withName("kept").get().getMetadata().getUid())
                .isEqualTo(pool.getMetadata().getUid());
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("experimentbudgets.finops.dev")
                .get()).as("helm never deletes the CRDs of crds/").isNotNull();
        assertThat(kubectl.canI(SCOPED_SA, "list", "pods", "--all-namespaces")).as("RBAC removed").isFalse();

        helm.install("scoped", SCOPED_NAMESPACE, "--set", "watchNamespaces={team-a}").orFail();
        assertThat(client.resources(ExperimentBudget.class).inNamespace("team-a").withName("kept").get()
                .getSpec().getLimit().getStrVal()).isEqualTo("100");
    }

    private static PodTemplateSpec operatorTemplate() {
        Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName("finops-gpu-finops-operator")
                .get();
        return deployment.getSpec().getTemplate();
    }

    private static Pod podOf(PodTemplateSpec template, String name) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(template.getMetadata().getLabels())
                .endMetadata().withSpec(template.getSpec()).build();
    }
}
