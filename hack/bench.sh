#!/usr/bin/env bash
# Benchmarks, run from the test classes.
#   hack/bench.sh [iterations]       the accrual benchmark (issue: cost engine): one pass over 50,000 GPU pods
#                                    on 5,000 nodes for 2,000 budgets, against a bare loop over the same pods
#                                    (default 30 iterations).
#   hack/bench.sh idle [iterations]  idle detection: the batched idle query against a real Prometheus holding
#                                    5,000 GPU pods' DCGM series (backfilled with promtool), and the idle rules
#                                    over those pods (default 20 iterations). Uses the prometheus and promtool
#                                    the installer provides (hack/local-cluster.sh build, run here if needed).
#   hack/bench.sh reaction [budgets] [pods-per-budget] [samples]
#                                    event-driven reactions on the local cluster (its own ports, from
#                                    GPU_FINOPS_E2E_PORT_BASE): 1,000 budgets and 10,000 kwok GPU pods by default;
#                                    a pod's end to its budget's whole-cost write, a Deployment's creation under an
#                                    exhausted enforcing budget to its suspension, budgets per pod event, and the
#                                    API server's request counts with the pods running and with nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == reaction ]]; then
  shift
  ./mvnw -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
    -Dmdep.includeScope=test
  export GPU_FINOPS_PROMETHEUS=off
  exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    dev.finops.operator.bench.ReactionBenchmark "$@"
fi
if [[ "${1:-}" == idle ]]; then
  main=dev.finops.operator.idle.IdleQueryBenchmark
  iterations="${2:-20}"
  # prometheus and promtool as the installer chose them (Debian's or built from Go modules), first on PATH
  hack/local-cluster.sh build --for demo >/dev/null
  PATH="$(hack/local-cluster.sh paths | sed -n 's/^PROMETHEUS_BIN_DIR=//p'):$PATH"
  export PATH
else
  main=dev.finops.operator.budget.AccrualPassBenchmark
  iterations="${1:-30}"
fi
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
exec java -Xmx2g -XX:+UseParallelGC -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  "$main" "$iterations"
