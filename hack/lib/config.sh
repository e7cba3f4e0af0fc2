# shellcheck shell=bash
# Versions, directories and ports shared by hack/local-cluster.sh, hack/demo.sh and hack/doctor.sh.
# Sourced, never run; every value can be overridden from the environment (see hack/README.md).
# shellcheck disable=SC2034 # the variables are for the scripts that source this file

# --- versions (newest patch the Go proxy serves for each line; bump together with the cache) ---
K8S_VERSION="${GPU_FINOPS_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${GPU_FINOPS_ETCD_VERSION:-v3.6.16}"
HELM_VERSION="${GPU_FINOPS_HELM_VERSION:-v3.22.0}"
KWOK_VERSION="${GPU_FINOPS_KWOK_VERSION:-v0.8.0}"
# Prometheus's Go module is tagged v0.<major><minor>.<patch>: v0.315.1 is Prometheus 3.15.1, the newest
# whose go.mod asks for no more than GO_MIN_VERSION (v0.316.0 wants go 1.26.7).
PROMETHEUS_MODULE_VERSION="${GPU_FINOPS_PROMETHEUS_VERSION:-v0.315.1}"
# Every module above declares at most `go 1.26.0`; older toolchains fail with a confusing error.
GO_MIN_VERSION="1.26.0"
JAVA_MIN_MAJOR=17

# --- directories ---
CACHE_DIR="${GPU_FINOPS_CACHE:-$HOME/.cache/gpu-finops}"
STATE_DIR="${GPU_FINOPS_STATE:-$HOME/.local/state/gpu-finops}"
OS_ARCH="linux-amd64"
# io.fabric8:kube-api-test (offline mode) looks for <dir>/k8s/<x.y.z>-<os>-<arch>/{kube-apiserver,etcd,kubectl}.
K8S_BIN_DIR="$CACHE_DIR/k8s/${K8S_VERSION#v}-$OS_ARCH"
# Everything else sits in one versioned dir per upstream project.
KCM_BIN_DIR="$CACHE_DIR/bin/kubernetes-$K8S_VERSION"
HELM_BIN_DIR="$CACHE_DIR/bin/helm-$HELM_VERSION"
KWOK_BIN_DIR="$CACHE_DIR/bin/kwok-$KWOK_VERSION"
PROMETHEUS_BUILD_DIR="$CACHE_DIR/bin/prometheus-$PROMETHEUS_MODULE_VERSION"
# prometheus and promtool as chosen by the installer: links to Debian's /usr/bin ones or to the Go build
# above. Scripts and tests use this directory only, so they never depend on what /usr/bin holds.
PROMETHEUS_BIN_DIR="$CACHE_DIR/bin/prometheus"
SRC_DIR="$CACHE_DIR/src"
BUILD_LOG_DIR="$CACHE_DIR/logs"

# --- ports (127.0.0.1 only; defaults chosen away from the usual 6443/2379/8080/9090 clashes) ---
ETCD_PORT="${GPU_FINOPS_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${GPU_FINOPS_ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${GPU_FINOPS_APISERVER_PORT:-16443}"
KCM_PORT="${GPU_FINOPS_KCM_PORT:-16257}"
SCHEDULER_PORT="${GPU_FINOPS_SCHEDULER_PORT:-16259}"
KWOK_PORT="${GPU_FINOPS_KWOK_PORT:-16280}"
PROMETHEUS_PORT="${GPU_FINOPS_PROMETHEUS_PORT:-9090}"
SIM_METRICS_PORT="${GPU_FINOPS_SIM_METRICS_PORT:-9400}"
OPERATOR_HTTP_PORT="${GPU_FINOPS_OPERATOR_HTTP_PORT:-8080}"
PROMETHEUS_MODE="${GPU_FINOPS_PROMETHEUS:-on}"
READY_TIMEOUT="${GPU_FINOPS_READY_TIMEOUT:-120}"

# "a.b.c" >= "x.y.z"?
version_at_least() {
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

# The local Go's version without the "go" prefix, or nothing. GOTOOLCHAIN=local: never a fetched toolchain.
go_version() {
  command -v go >/dev/null 2>&1 || return 0
  local have
  have="$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null)" || return 0
  have="${have#go}"
  echo "${have%% *}"
}

# The major version of `java` on PATH (8 for 1.8.0_x), or nothing.
java_major() {
  command -v java >/dev/null 2>&1 || return 0
  local version major
  version="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${version%%.*}"
  [[ "$major" == 1 ]] && major="$(echo "$version" | cut -d. -f2)"
  [[ "$major" =~ ^[0-9]+$ ]] && echo "$major"
  return 0
}
