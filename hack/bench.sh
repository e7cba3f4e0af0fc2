#!/usr/bin/env bash
# Benchmarks, run from the test classes.
#   hack/bench.sh [iterations]       the accrual benchmark (issue: cost engine): one pass over 50,000 GPU pods
#                                    on 5,000 nodes for 2,000 budgets, against a bare loop over the same pods
#                                    (default 30 iterations).
#   hack/bench.sh idle [iterations]  idle detection: the batched idle query against a real Prometheus holding
#                                    5,000 GPU pods' DCGM series (backfilled with promtool), and the idle rules
#                                    over those pods (default 20 iterations). Uses the prometheus and promtool
#                                    the installer provides (hack/local-cluster.sh build, run here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
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
