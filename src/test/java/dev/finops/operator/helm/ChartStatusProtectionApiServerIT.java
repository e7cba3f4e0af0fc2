package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.Ledger;
import dev.finops.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy on a real API server: a user whom RBAC lets write the status of budgets and
 * pools (the cost ledger) is refused with the policy's message, even a cluster admin; the operator's ServiceAccount
 * (its own bound token) and the break-glass user and group of the values are allowed. The optional NetworkPolicy is
 * admitted by the same server.
 */
class ChartStatusProtectionApiServerIT {

    private static final String NAMESPACE = "finops-system";
    private static final String TEAM = "team-a";
    private static final String OPERATOR = "system:serviceaccount:" + NAMESPACE + ":finops-gpu-finops-operator";
    private static final String REFUSAL = "only the gpu-finops-operator (" + OPERATOR + ") may write the status of "
            + "ExperimentBudgets and GpuPools: it holds the cost ledger. For break-glass access add the user to "
            + "statusProtection.extraUsers (or a group to statusProtection.extraGroups) of Helm release "
            + NAMESPACE + "/finops.";

    private static RealApiServer server;
    private static KubernetesClient admin;
    private static Helm helm;

    @BeforeAll
    static void installTheChartWithTheProtectionAndATenantWithStatusRights() {
        server = RealApiServer.start();
        admin = server.client();
        helm = Helm.against(server.kubeconfig());
        for (String namespace : List.of(NAMESPACE, TEAM)) {
            admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .serverSideApply();
        }
        helm.install("finops", NAMESPACE, "--set", "statusProtection.extraUsers={breakglass@example.com}",
                "--set", "statusProtection.extraGroups={finops-admins}", "--set", "networkPolicy.enabled=true").orFail();
        // what a tenant's editor role often grants: every verb on the custom resources and their status
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("finops-status-editor").endMetadata()
                .addNewRule().withApiGroups("finops.dev").withResources("experimentbudgets", "experimentbudgets/status",
                        "gpupools", "gpupools/status").withVerbs("get", "list", "update", "patch").endRule().build())
                .serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("finops-status-editors").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                .withName("finops-status-editor").endRoleRef()
                .addNewSubject().withKind("User").withName("tenant@example.com").endSubject()
                .addNewSubject().withKind("User").withName("breakglass@example.com").endSubject()
                .addNewSubject().withKind("User").withName("ops@example.com").endSubject().build())
                .serverSideApply();
        admin.resource(Fixtures.budget("ledger", TEAM)).create();
        admin.resource(Fixtures.pool("ledger")).create();
    }

    @AfterAll
    static void stopApiServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theApiServerServesValidatingAdmissionPolicyAndTheChartInstalledIt() {
        VersionInfo version = admin.getKubernetesVersion();
        assertThat(Integer.parseInt(version.getMinor().replaceAll("\\D.*", ""))).as("GA in 1.30")
                .isGreaterThanOrEqualTo(30);
        assertThat(admin.getApiResources("admissionregistration.k8s.io/v1").getResources())
                .extracting(resource -> resource.getName())
                .contains("validatingadmissionpolicies", "validatingadmissionpolicybindings");
        assertThat(helm.manifest("finops", NAMESPACE).identities()).contains(
                "ValidatingAdmissionPolicy/finops-gpu-finops-operator-status-writers",
                "ValidatingAdmissionPolicyBinding/finops-gpu-finops-operator-status-writers",
                "NetworkPolicy/" + NAMESPACE + "/finops-gpu-finops-operator");
    }

    @Test
    void aTenantWithStatusRightsIsRefusedWithThePolicysMessageOnBudgetsAndPools() {
        KubernetesClient tenant = impersonating("tenant@example.com");
        awaitThePolicyInForce(tenant);

        assertThatThrownBy(() -> writeBudgetLedger(tenant, 1L)).isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
                .hasMessageContaining("ValidatingAdmissionPolicy 'finops-gpu-finops-operator-status-writers' with "
                        + "binding 'finops-gpu-finops-operator-status-writers' denied request: " + REFUSAL);
        assertThatThrownBy(() -> writePoolStatus(tenant, "999.00")).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining(REFUSAL);
        assertThatThrownBy(() -> writeBudgetLedger(admin, 2L)).as("a cluster admin too needs the break-glass values")
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining(REFUSAL);
        assertThat(budget().getSpec().getLimit().getStrVal()).as("the spec stays the tenant's").isEqualTo("100");
    }

    @Test
    void theOperatorsServiceAccountAndTheBreakGlassUserAndGroupMayWriteTheStatus() {
        awaitThePolicyInForce(impersonating("tenant@example.com"));
        try (KubernetesClient operator = withServiceAccountToken()) {
            writeBudgetLedger(operator, 42L);
            writePoolStatus(operator, "12.34");
        }
        assertThat(budget().getStatus().getLedger().getSpentMicros()).isEqualTo(42L);
        assertThat(admin.resources(GpuPool.class).withName("ledger").get().getStatus().getCostPerHour())
                .isEqualTo("12.34");

        writeBudgetLedger(impersonating("breakglass@example.com"), 43L);
        writeBudgetLedger(impersonating("ops@example.com", "finops-admins"), 44L);
        assertThat(budget().getStatus().getLedger().getSpentMicros()).isEqualTo(44L);
    }

    @Test
    void theNetworkPolicyAdmitsOnlyTheMonitoringNamespaceToTheHttpPort() {
        NetworkPolicy policy = admin.network().v1().networkPolicies().inNamespace(NAMESPACE)
                .withName("finops-gpu-finops-operator").get();
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of(
                "app.kubernetes.io/name", "gpu-finops-operator", "app.kubernetes.io/instance", "finops"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).hasSize(1);
        assertThat(policy.getSpec().getIngress().get(0).getFrom()).hasSize(1);
        assertThat(policy.getSpec().getIngress().get(0).getFrom().get(0).getNamespaceSelector().getMatchLabels())
                .isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
        assertThat(policy.getSpec().getIngress().get(0).getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort().getStrVal()).isEqualTo("http"));
        assertThat(helm.template("finops", NAMESPACE).ofKind("NetworkPolicy")).as("off by default").isEmpty();
    }

    /** The policy is enforced once the API server's informer has seen it and its binding. */
    private static void awaitThePolicyInForce(KubernetesClient tenant) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                writeBudgetLedger(tenant, 7L);
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 403 && e.getMessage().contains(REFUSAL);
            }
        });
    }

    private static ExperimentBudget budget() {
        return admin.resources(ExperimentBudget.class).inNamespace(TEAM).withName("ledger").get();
    }

    private static void writeBudgetLedger(KubernetesClient as, long spentMicros) {
        ExperimentBudget budget = as.resources(ExperimentBudget.class).inNamespace(TEAM).withName("ledger").get();
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        Ledger ledger = new Ledger();
        ledger.setSpentMicros(spentMicros);
        ledger.setAccruedUntil("2026-11-02T10:00:00Z");
        status.setLedger(ledger);
        budget.setStatus(status);
        as.resource(budget).updateStatus();
    }

    private static void writePoolStatus(KubernetesClient as, String costPerHour) {
        GpuPool pool = as.resources(GpuPool.class).withName("ledger").get();
        GpuPoolStatus status = new GpuPoolStatus();
        status.setCostPerHour(costPerHour);
        pool.setStatus(status);
        as.resource(pool).updateStatus();
    }

    private static KubernetesClient impersonating(String user, String... groups) {
        Config config = new ConfigBuilder(admin.getConfiguration()).withImpersonateUsername(user)
                .withImpersonateGroups(groups).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The operator's ServiceAccount with a bound token of its own (TokenRequest API), as its pod would have. */
    private static KubernetesClient withServiceAccountToken() {
        String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName("finops-gpu-finops-operator")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        Config config = new ConfigBuilder(admin.getConfiguration()).withClientCertData(null).withClientKeyData(null)
                .withClientCertFile(null).withClientKeyFile(null).withOauthToken(token).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
