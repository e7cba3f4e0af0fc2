package dev.finops.operator.helm;

/**
 * promtool unit tests for the chart's PrometheusRule at its default values (warn at 80%, `for` 15m, idle cost over
 * 10/h, operator down for 5m): which alerts fire, with exactly which labels and texts, and which do not.
 */
final class AlertScenarios {

    private AlertScenarios() {
    }

    static String promtoolTests(String job, String namespace) {
        return """
                rule_files: [rules.yaml]
                evaluation_interval: 1m
                tests:
                - interval: 1m
                  input_series:
                  - {series: 'finops_budget_spent{namespace="ml",budget="warn",team="nlp",project="llm",currency="USD"}', values: '85x30'}
                  - {series: 'finops_budget_limit{namespace="ml",budget="warn",team="nlp",project="llm",currency="USD"}', values: '100x30'}
                  - {series: 'finops_budget_spent{namespace="ml",budget="over",team="cv",project="det",currency="USD"}', values: '120x30'}
                  - {series: 'finops_budget_limit{namespace="ml",budget="over",team="cv",project="det",currency="USD"}', values: '100x30'}
                  - {series: 'finops_budget_forecast{namespace="ml",budget="over",team="cv",project="det",currency="USD"}', values: '300x30'}
                  - {series: 'finops_budget_spent{namespace="ml",budget="trend",team="rl",project="sim",currency="USD"}', values: '40x30'}
                  - {series: 'finops_budget_limit{namespace="ml",budget="trend",team="rl",project="sim",currency="USD"}', values: '100x30'}
                  - {series: 'finops_budget_forecast{namespace="ml",budget="trend",team="rl",project="sim",currency="USD"}', values: '150x30'}
                  - {series: 'finops_budget_spent{namespace="ml",budget="fine",team="rl",project="sim",currency="USD"}', values: '10x30'}
                  - {series: 'finops_budget_limit{namespace="ml",budget="fine",team="rl",project="sim",currency="USD"}', values: '100x30'}
                  - {series: 'finops_budget_forecast{namespace="ml",budget="fine",team="rl",project="sim",currency="USD"}', values: '60x30'}
                  - {series: 'finops_pool_idle_cost_per_hour{pool="a100"}', values: '25x30'}
                  - {series: 'finops_pool_idle_cost_per_hour{pool="l4"}', values: '2x30'}
                  - {series: 'up{job="JOB",namespace="NAMESPACE"}', values: '0x30'}
                  alert_rule_test:
                  - eval_time: 20m
                    alertname: FinOpsBudgetOverThreshold
                    exp_alerts:
                    - exp_labels: {severity: warning, namespace: ml, budget: warn, team: nlp, project: llm, currency: USD}
                      exp_annotations:
                        summary: 'Budget ml/warn has spent 85% of its limit'
                        description: 'Team nlp, project llm: the budget is over 80% of its limit this period. kubectl get experimentbudget -n ml warn'
                  - eval_time: 1m
                    alertname: FinOpsBudgetExceeded
                    exp_alerts:
                    - exp_labels: {severity: critical, namespace: ml, budget: over, team: cv, project: det, currency: USD}
                      exp_annotations:
                        summary: 'Budget ml/over has exceeded its limit'
                        description: 'Team cv, project det: spent 120 USD, at or over the limit. Its enforcement policy (spec.enforcement) applies.'
                  - eval_time: 10m
                    alertname: FinOpsBudgetForecastOverLimit
                    exp_alerts: []
                  - eval_time: 20m
                    alertname: FinOpsBudgetForecastOverLimit
                    exp_alerts:
                    - exp_labels: {severity: warning, namespace: ml, budget: trend, team: rl, project: sim, currency: USD}
                      exp_annotations:
                        summary: 'Budget ml/trend will end its period over its limit'
                        description: 'At the current burn rate the forecast of the budget is 150 USD, over its limit. Team rl, project sim.'
                  - eval_time: 20m
                    alertname: FinOpsGpuPoolIdleCostHigh
                    exp_alerts:
                    - exp_labels: {severity: warning, pool: a100}
                      exp_annotations:
                        summary: 'GPU pool a100 pays 25 per hour for idle GPUs'
                        description: 'Unallocated or idle GPUs of pool a100 cost more than 10 per hour. kubectl get gpupool a100 -o yaml shows idle workloads and recommendations.'
                  - eval_time: 3m
                    alertname: FinOpsOperatorDown
                    exp_alerts: []
                  - eval_time: 10m
                    alertname: FinOpsOperatorDown
                    exp_alerts:
                    - exp_labels: {severity: critical, namespace: NAMESPACE}
                      exp_annotations:
                        summary: 'gpu-finops-operator is down in namespace NAMESPACE'
                        description: 'No replica of JOB has been scraped as up; budgets are not accruing or enforcing. kubectl -n NAMESPACE get pods,events'
                - interval: 1m
                  input_series:
                  - {series: 'up{job="JOB",namespace="NAMESPACE",pod="a"}', values: '0x30'}
                  - {series: 'up{job="JOB",namespace="NAMESPACE",pod="b"}', values: '1x30'}
                  alert_rule_test:
                  - eval_time: 10m
                    alertname: FinOpsOperatorDown
                    exp_alerts: []
                """.replace("JOB", job).replace("NAMESPACE", namespace);
    }
}
