package dev.finops.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.finops.operator.apiserver.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's monitoring objects, installed with helm into a real API server (with stand-in Prometheus Operator
 * CRDs) and read back from it: the PrometheusRule compiles and fires exactly as documented (promtool unit tests),
 * the dashboard's queries compile and cover the cost views, the ServiceMonitor scrapes the metrics port.
 */
class ChartMonitoringApiServerIT {

    /** The metrics the operator exports (metrics/CostMetrics, ReconcileMetrics); ChartOperatorE2EIT checks them live. */
    static final Set<String> OPERATOR_METRICS = Set.of("finops_budget_spent", "finops_budget_limit",
            "finops_budget_burn_rate_per_hour", "finops_budget_forecast", "finops_pool_cost_per_hour",
            "finops_pool_idle_cost_per_hour", "finops_pool_gpus", "finops_reconcile_passes_total",
            "finops_status_writes_total");
    private static final Pattern METRIC = Pattern.compile("\\bfinops_[a-z_]+");
    private static final String NAMESPACE = "finops-system";
    private static final String RELEASE = "finops";
    private static final String FULLNAME = "finops-gpu-finops-operator";

    private static RealApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void installChartWithMonitoring() {
        server = RealApiServer.start();
        client = server.client();
        StandInCrds.installPrometheusOperator(client);
        new Kubectl(server.kubeconfig()).run("create", "namespace", NAMESPACE).orFail();
        Helm.against(server.kubeconfig()).install(RELEASE, NAMESPACE, "--set", "serviceMonitor.enabled=true",
                "--set", "prometheusRule.enabled=true", "--set", "serviceMonitor.labels.release=kube-prometheus-stack")
                .orFail();
    }

    @AfterAll
    static void stopApiServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void prometheusRuleCompilesAndFiresExactlyAsDocumented(@TempDir Path dir) throws IOException {
        GenericKubernetesResource rule = client.genericKubernetesResources("monitoring.coreos.com/v1", "PrometheusRule")
                .inNamespace(NAMESPACE).withName(FULLNAME).get();
        Object groups = ((Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups");
        new YAMLMapper().writeValue(dir.resolve("rules.yaml").toFile(), Map.of("groups", groups));
        Files.writeString(dir.resolve("test.yaml"), AlertScenarios.promtoolTests(FULLNAME, NAMESPACE));

        ExternalCommand.run(List.of(ToolPaths.promtool().toString(), "check", "rules", dir.resolve("rules.yaml")
                .toString())).orFail();
        ExternalCommand.Result test = ExternalCommand.run(List.of(ToolPaths.promtool().toString(), "test", "rules",
                dir.resolve("test.yaml").toString()));
        assertThat(test.succeeded()).as(test.describe()).isTrue();
        assertThat(metricsIn(groups.toString())).isSubsetOf(OPERATOR_METRICS);
    }

    @Test
    void dashboardQueriesCompileAndCoverCostByTeamProjectBurnRateIdleCostAndSpotShare(
            @TempDir Path dir) throws IOException {
        ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName(FULLNAME + "-dashboard").get();
        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode dashboard = new ObjectMapper().readTree(configMap.getData().get("gpu-finops.json"));
        assertThat(dashboard.path("uid").asText()).isEqualTo("gpu-finops");
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(12)
                .anyMatch(q -> q.contains("sum by (team) (finops_budget_spent"))
                .anyMatch(q -> q.contains("sum by (project) (finops_budget_spent"))
                .anyMatch(q -> q.contains("finops_budget_burn_rate_per_hour"))
                .anyMatch(q -> q.contains("finops_pool_idle_cost_per_hour"))
                .anyMatch(q -> q.contains("capacity_type=\"spot\"") && q.contains("finops_pool_cost_per_hour"));
        assertThat(metricsIn(String.join("\n", queries))).isSubsetOf(OPERATOR_METRICS);

        // promtool compiles each query as a recording rule (Grafana variables replaced by a match-all regex)
        List<Map<String, String>> recordings = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            recordings.add(Map.of("record", "dashboard:query_" + i,
                    "expr", queries.get(i).replaceAll("\\$[a-z_]+", ".*")));
        }
        Path rules = dir.resolve("dashboard-queries.yaml");
        new YAMLMapper().writeValue(rules.toFile(), Map.of("groups", List.of(Map.of("name", "dashboard",
                "rules", recordings))));
        ExternalCommand.Result check = ExternalCommand.run(List.of(ToolPaths.promtool().toString(), "check", "rules",
                rules.toString()));
        assertThat(check.succeeded()).as(check.describe()).isTrue();
    }

    @Test
    void serviceMonitorScrapesTheMetricsPortAndKeepsTheBudgetsNamespaceLabel() {
        GenericKubernetesResource monitor = client.genericKubernetesResources("monitoring.coreos.com/v1",
                "ServiceMonitor").inNamespace(NAMESPACE).withName(FULLNAME).get();
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        Map<?, ?> spec = (Map<?, ?>) monitor.getAdditionalProperties().get("spec");
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) spec.get("endpoints")).get(0);
        assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
        assertThat(endpoint.get("honorLabels")).isEqualTo(true);

        Service service = client.services().inNamespace(NAMESPACE).withName(FULLNAME).get();
        assertThat(service.getSpec().getPorts()).anySatisfy(port -> assertThat(port.getName())
                .isEqualTo(endpoint.get("port")));
        Map<?, ?> selector = (Map<?, ?>) ((Map<?, ?>) spec.get("selector")).get("matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(cast(selector));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cast(Map<?, ?> map) {
        return (Map<String, String>) map;
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }
}
