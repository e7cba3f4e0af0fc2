#!/usr/bin/env bash
# Fetches the Prometheus Operator's real ServiceMonitor and PrometheusRule CRDs from its Go module into a directory
# (default target/monitoring-crds), for the chart tests: the chart's monitoring objects must pass their schemas.
# Never committed. v0.85.0 is the version of github.com/prometheus-operator/prometheus-operator the Go module proxy
# serves (newer ones are served for its pkg/apis/monitoring module only, which carries no CRD files).
set -euo pipefail

PROMETHEUS_OPERATOR_VERSION="${PROMETHEUS_OPERATOR_VERSION:-v0.85.0}"
out="${1:-target/monitoring-crds}"
mkdir -p "$out"
dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json \
  "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
[[ -n "$dir" && -d "$dir/example/prometheus-operator-crd" ]] || {
  echo "could not download github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION" >&2
  exit 1
}
for kind in servicemonitors prometheusrules; do
  install -m 0644 "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$kind.yaml" "$out/monitoring.coreos.com_$kind.yaml"
done
echo "$out"
