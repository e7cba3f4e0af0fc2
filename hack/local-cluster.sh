#!/usr/bin/env bash
# Local Kubernetes control plane for gpu-finops-operator development (DESIGN.md §5).
#
#   hack/local-cluster.sh build          build + cache binaries from Go modules (once per version)
#   hack/local-cluster.sh up             build if needed, then start etcd, kube-apiserver,
#                                        kube-controller-manager, kube-scheduler, kwok, prometheus
#   hack/local-cluster.sh down [--purge] stop what `up` started (--purge also deletes the state dir)
#   hack/local-cluster.sh status         one line per component; exit 0 only if all are up
#   hack/local-cluster.sh env            eval "$(hack/local-cluster.sh env)" sets KUBECONFIG etc.
#   hack/local-cluster.sh paths          where the cached binaries live
#   hack/local-cluster.sh smoke [--keep] fake GPU node + Deployment + Job, checks kwok drives them
#
# Nothing is downloaded except Go modules through the Go module proxy; the only tool taken
# from the OS is Debian's `prometheus` (apt-get install prometheus), which this script never
# installs itself. See hack/README.md for the layout and the environment variables.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# --- versions (newest patch the Go proxy serves for each line; bump together with the cache) ---
K8S_VERSION="${GPU_FINOPS_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${GPU_FINOPS_ETCD_VERSION:-v3.6.16}"
HELM_VERSION="${GPU_FINOPS_HELM_VERSION:-v3.22.0}"
KWOK_VERSION="${GPU_FINOPS_KWOK_VERSION:-v0.8.0}"
# Every module above declares `go 1.26.0`; older toolchains fail with a confusing error.
GO_MIN_VERSION="1.26.0"

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
PROMETHEUS_MODE="${GPU_FINOPS_PROMETHEUS:-on}"
READY_TIMEOUT="${GPU_FINOPS_READY_TIMEOUT:-120}"

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { printf '[local-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=hack/lib/build.sh
source "$HACK_DIR/lib/build.sh"
# shellcheck source=hack/lib/cluster.sh
source "$HACK_DIR/lib/cluster.sh"
# shellcheck source=hack/lib/smoke.sh
source "$HACK_DIR/lib/smoke.sh"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
  local verb="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$verb" in
    build) cmd_build "$@" ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    env) cmd_env "$@" ;;
    paths) cmd_paths "$@" ;;
    smoke) cmd_smoke "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# `exit` on the same line: bash reads scripts lazily, so editing this file while it runs
# cannot make it execute stray bytes after main returns.
main "$@"; exit
