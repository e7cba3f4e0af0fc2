#!/usr/bin/env bash
# The accrual benchmark (issue: cost engine): one pass over 50,000 GPU pods on 5,000 nodes for 2,000
# budgets, against a bare loop over the same pods. Usage: hack/bench.sh [iterations]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test
exec java -Xmx2g -XX:+UseParallelGC -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dev.finops.operator.budget.AccrualPassBenchmark "${1:-30}"
