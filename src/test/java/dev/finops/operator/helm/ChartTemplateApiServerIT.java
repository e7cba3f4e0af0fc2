package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as rendered by the real helm: it lints, refuses bad values naming the field (lint and install against a
 * real API server), and every rendering (defaults, every option on, namespace-scoped) has a hardened pod and RBAC
 * without wildcards, Secrets or pod deletion.
 */
class ChartTemplateApiServerIT {

    /** Every optional part of the chart on. */
    static final String[] EVERYTHING = {"--set", "serviceMonitor.enabled=true", "--set", "prometheusRule.enabled=true",
        "--set", "rbac.workloadActions.enabled=true", "--set", "rbac.karpenter.enabled=true",
        "--set", "rbac.clusterApi.enabled=true",
        "--set", "rbac.kubeflow.enabled=true", "--set", "rbac.trainer.enabled=true", "--set", "rbac.jobset.enabled=true",
        "--set", "rbac.ray.enabled=true", "--set", "rbac.leaderWorkerSet.enabled=true", "--set", "rbac.kueue.enabled=true",
        "--set", "rbac.workloadActions.extraScaleTargets[0].apiGroup=argoproj.io",
        "--set", "rbac.workloadActions.extraScaleTargets[0].resource=rollouts",
        "--set", "scaleTargets.allowedKinds[0].apiGroup=nodes.example.com",
        "--set", "scaleTargets.allowedKinds[0].kind=NodeGroup",
        "--set", "scaleTargets.allowedKinds[0].resource=nodegroups",
        "--set", "prometheus.url=https://prometheus.monitoring.svc:9090",
        "--set", "prometheus.tls.caConfigMap.name=prometheus-ca",
        "--set", "prometheus.bearerTokenSecret.name=prometheus-token", "--set", "replicaCount=2",
        "--set", "jvmOptions=-Xss512k", "--set", "networkPolicy.enabled=true"};
    static final String[] SCOPED = {"--set", "watchNamespaces={team-a,team-b}"};

    private static RealApiServer server;
    private static Helm helm;

    @BeforeAll
    static void startApiServer() {
        server = RealApiServer.start();
        helm = Helm.against(server.kubeconfig());
    }

    @AfterAll
    static void stopApiServer() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> renderings() {
        return Stream.of(Arguments.of("defaults", new String[0]), Arguments.of("everything", EVERYTHING),
                Arguments.of("namespace-scoped", SCOPED),
                Arguments.of("namespace-scoped, everything", Stream.concat(Stream.of(SCOPED), Stream.of(EVERYTHING))
                        .toArray(String[]::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void lintsCleanly(String name, String[] values) {
        ExternalCommand.Result lint = helm.lint(values);
        assertThat(lint.succeeded()).as(lint.describe()).isTrue();
        assertThat(lint.stdout()).contains("0 chart(s) failed").doesNotContain("[WARNING]", "[ERROR]");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("config.passInterval=soon", "at '/config/passInterval': 'soon' does not match pattern"),
                Arguments.of("watchNamespaces={Team_A}", "at '/watchNamespaces/0': 'Team_A' does not match pattern"),
                Arguments.of("replicaCount=-1", "at '/replicaCount': minimum: got -1, want 0"),
                Arguments.of("image.pullPolicy=Sometimes", "at '/image/pullPolicy': value must be one of"),
                Arguments.of("rbac.workloadActions.extraScaleTargets[0].apiGroup=*",
                        "at '/rbac/workloadActions/extraScaleTargets/0/apiGroup': '*' does not match pattern"),
                Arguments.of("scaleTargets.allowedKinds[0].apiGroup=*",
                        "at '/scaleTargets/allowedKinds/0/apiGroup': '*' does not match pattern"),
                Arguments.of("scaleTargets.allowedKinds[0].resource=nodegroups",
                        "at '/scaleTargets/allowedKinds/0': missing properties 'apiGroup', 'kind'"),
                Arguments.of("serviceAccount.create=false", "at '/serviceAccount/name': minLength: got 0, want 1"),
                Arguments.of("prometheus.url=prometheus:9090", "at '/prometheus/url': 'prometheus:9090' does not match"),
                Arguments.of("replicas=2", "at '': additional properties 'replicas' not allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesFailLintAndInstallNamingTheField(String value, String message) {
        ExternalCommand.Result lint = helm.lint("--set", value);
        assertThat(lint.succeeded()).as("helm lint --set %s", value).isFalse();
        assertThat(lint.stdout() + lint.stderr()).contains(message);

        ExternalCommand.Result install = helm.install("bad-values", "default", "--set", value);
        assertThat(install.succeeded()).as("helm install --set %s", value).isFalse();
        assertThat(install.stderr()).contains("values don't meet the specifications of the schema", message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void podIsHardenedAndProbedOnTheQuarkusHealthEndpoints(String name, String[] values) {
        Deployment deployment = helm.template("finops", "finops-system", values).one("Deployment", Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getHostNetwork()).isNull();
        assertThat(pod.getHostPID()).isNull();
        assertThat(pod.getServiceAccountName()).isEqualTo("finops-gpu-finops-operator");

        Container operator = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        SecurityContext security = operator.getSecurityContext();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getPrivileged()).isNull();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(operator.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });

        assertThat(operator.getImage()).isEqualTo("ghcr.io/finops-dev/gpu-finops-operator:0.1.0");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(operator.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsKey("memory");

        EnvVar podNamespace = operator.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE")).findFirst()
                .orElseThrow();
        assertThat(podNamespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void rbacHasNoWildcardNoSecretsNoPodDeletionAndCreatesOnlyEventsAndItsLease(String name, String[] values) {
        List<RbacRule> rules = RbacRule.of(helm.template("finops", "finops-system", values));
        assertThat(rules).isNotEmpty();
        assertThat(rules).noneMatch(RbacRule::hasWildcard);
        assertThat(rules).allSatisfy(rule -> assertThat(rule.nonResourceUrls()).isEmpty());
        assertThat(rules).noneMatch(rule -> rule.resources().contains("secrets"));
        assertThat(rules).filteredOn(rule -> rule.covers("", "pods"))
                .allSatisfy(rule -> assertThat(rule.verbs()).containsOnly("list", "watch"));
        assertThat(rules.stream().flatMap(rule -> rule.verbs().stream()).collect(Collectors.toSet()))
                .doesNotContain("delete", "deletecollection", "escalate", "bind", "impersonate");
        assertThat(rules).filteredOn(rule -> rule.verbs().contains("create"))
                .allSatisfy(rule -> assertThat(rule.resources()).containsAnyOf("events", "leases").hasSize(1));
        assertThat(rules).filteredOn(rule -> rule.covers("", "configmaps"))
                .allSatisfy(rule -> assertThat(rule.resourceNames()).containsExactly("finops-gpu-finops-operator-prices"));
        assertThat(rules).filteredOn(rule -> rule.covers("coordination.k8s.io", "leases") && !rule.verbs().equals(
                List.of("create"))).allSatisfy(rule -> assertThat(rule.resourceNames())
                        .containsExactly("gpu-finops-operator-leader"));
    }

    @Test
    void watchNamespacesMovesBudgetAndEventRightsIntoRolesOfThoseNamespaces() {
        RenderedManifests scoped = helm.template("finops", "finops-system", SCOPED);
        List<RbacRule> rules = RbacRule.of(scoped);
        Set<String> budgetScopes = rules.stream().filter(rule -> rule.covers("finops.dev", "experimentbudgets"))
                .map(RbacRule::scope).collect(Collectors.toSet());
        Set<String> eventScopes = rules.stream().filter(rule -> rule.covers("", "events"))
                .map(RbacRule::scope).collect(Collectors.toSet());
        assertThat(budgetScopes).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(eventScopes).as("GpuPool Events go to default").containsExactlyInAnyOrder("team-a", "team-b", "default");
        assertThat(rules).filteredOn(rule -> rule.scope().equals(RbacRule.CLUSTER))
                .anyMatch(rule -> rule.covers("", "pods"))
                .anyMatch(rule -> rule.covers("finops.dev", "gpupools"));
        assertThat(env(scoped)).containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_EXPERIMENTBUDGET_NAMESPACES",
                "team-a,team-b");
        assertThat(env(helm.template("finops", "finops-system")))
                .doesNotContainKey("QUARKUS_OPERATOR_SDK_CONTROLLERS_EXPERIMENTBUDGET_NAMESPACES");
    }

    @Test
    void workloadAndCapacityRightsExistOnlyWhenTheirActionIsEnabled() {
        List<RbacRule> defaults = RbacRule.of(helm.template("finops", "finops-system"));
        assertThat(defaults).as("enforcement is on by default")
                .anyMatch(rule -> rule.covers("batch", "jobs")
                        && rule.verbs().equals(List.of("get", "list", "watch", "patch")))
                .anyMatch(rule -> rule.covers("apps", "deployments/scale") && rule.verbs().equals(List.of("get", "update")))
                .noneMatch(rule -> rule.apiGroups().stream()
                        .anyMatch(Set.of("karpenter.sh", "cluster.x-k8s.io", "argoproj.io", "nodes.example.com")
                                ::contains));
        List<RbacRule> observeOnly = RbacRule.of(helm.template("finops", "finops-system",
                "--set", "rbac.workloadActions.enabled=false"));
        assertThat(observeOnly).noneMatch(rule -> rule.apiGroups().stream().anyMatch(Set.of("apps", "batch")::contains));

        List<RbacRule> everything = RbacRule.of(helm.template("finops", "finops-system", EVERYTHING));
        assertThat(everything).anyMatch(rule -> rule.covers("argoproj.io", "rollouts/scale"))
                .anyMatch(rule -> rule.covers("karpenter.sh", "nodepools")
                        && rule.verbs().equals(List.of("get", "list", "watch", "patch")))
                .anyMatch(rule -> rule.covers("cluster.x-k8s.io", "machinedeployments/scale"))
                .anyMatch(rule -> rule.covers("cluster.x-k8s.io", "machinesets/scale")
                        && rule.verbs().equals(List.of("get", "update")))
                .anyMatch(rule -> rule.covers("nodes.example.com", "nodegroups/scale")
                        && rule.verbs().equals(List.of("get", "update")))
                .anyMatch(rule -> rule.covers("nodes.example.com", "nodegroups") && rule.verbs().equals(List.of("get")));
        assertThat(env(helm.template("finops", "finops-system", EVERYTHING)))
                .containsEntry("FINOPS_SCALE_TARGETS_ALLOWED_KINDS", "NodeGroup.nodes.example.com");
        assertThat(env(helm.template("finops", "finops-system"))).doesNotContainKey("FINOPS_SCALE_TARGETS_ALLOWED_KINDS");
    }

    @Test
    void settingsReachTheOperatorAsItsEnvironment() {
        Map<String, String> env = env(helm.template("finops", "finops-system", "--set", "config.passInterval=10s",
                "--set", "config.accrualSettleDelay=1m30s", "--set", "config.ledgerMaxLag=250ms",
                "--set", "pricing.namespace=finops-prices", "--set", "prometheus.url=http://prom:9090",
                "--set", "prometheus.tls.insecureSkipVerify=true", "--set", "jvmOptions=-Xss512k",
                "--set", "extraEnv[0].name=QUARKUS_LOG_LEVEL", "--set", "extraEnv[0].value=DEBUG"));
        assertThat(env).containsEntry("FINOPS_PASS_INTERVAL", "10s")
                .containsEntry("FINOPS_ACCRUAL_SETTLE_DELAY", "1m30s")
                .containsEntry("FINOPS_LEDGER_MAX_LAG", "250ms")
                .containsEntry("FINOPS_PRICING_CONFIG_MAP", "finops-gpu-finops-operator-prices")
                .containsEntry("FINOPS_PRICING_NAMESPACE", "finops-prices")
                .containsEntry("FINOPS_PROMETHEUS_URL", "http://prom:9090")
                .containsEntry("FINOPS_PROMETHEUS_TLS_INSECURE_SKIP_VERIFY", "true")
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xss512k")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");
        Map<String, String> builtInOnly = env(helm.template("finops", "finops-system",
                "--set", "pricing.configMap.create=false"));
        assertThat(builtInOnly).doesNotContainKeys("FINOPS_PRICING_CONFIG_MAP", "FINOPS_PROMETHEUS_URL");
    }

    static Map<String, String> env(RenderedManifests manifests) {
        return manifests.one("Deployment", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
