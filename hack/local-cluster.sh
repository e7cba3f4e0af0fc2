#!/usr/bin/env bash
# Local Kubernetes control plane for gpu-finops-operator development (DESIGN.md §5).
#
#   hack/local-cluster.sh build [--for demo] [--real-node]
#                                        install, build and cache what the tests (or the demo) need:
#                                        Go binaries, prometheus + promtool, openssl/curl (once)
#   hack/local-cluster.sh up [--real-node]
#                                        build if needed, then start etcd, kube-apiserver,
#                                        kube-controller-manager, kube-scheduler, kwok, prometheus;
#                                        --real-node adds containerd and a kubelet (a real, tainted node)
#   hack/local-cluster.sh load-image <archive>
#                                        import an OCI/Docker image archive into the real node's containerd
#   hack/local-cluster.sh down [--purge] stop what `up` started (--purge also deletes the state dir)
#   hack/local-cluster.sh status         one line per component; exit 0 only if all are up
#   hack/local-cluster.sh env            eval "$(hack/local-cluster.sh env)" sets KUBECONFIG etc.
#   hack/local-cluster.sh paths          where the cached binaries live
#   hack/local-cluster.sh smoke [--keep] fake GPU node + Deployment + Job, checks kwok drives them
#
# Nothing is downloaded except Go modules through the Go module proxy and, as root, Debian's
# prometheus (and openssl/curl where missing) through apt-get; without root Prometheus is built from
# its Go module too. See hack/README.md for the layout and the environment variables.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# shellcheck source=hack/lib/config.sh
source "$HACK_DIR/lib/config.sh"

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { printf '[local-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=hack/lib/steps.sh
source "$HACK_DIR/lib/steps.sh"
# shellcheck source=hack/lib/build.sh
source "$HACK_DIR/lib/build.sh"
# shellcheck source=hack/lib/install.sh
source "$HACK_DIR/lib/install.sh"
# shellcheck source=hack/lib/cluster.sh
source "$HACK_DIR/lib/cluster.sh"
# shellcheck source=hack/lib/realnode.sh
source "$HACK_DIR/lib/realnode.sh"
# shellcheck source=hack/lib/smoke.sh
source "$HACK_DIR/lib/smoke.sh"

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
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
    load-image) cmd_load_image "$@" ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# `exit` on the same line: bash reads scripts lazily, so editing this file while it runs
# cannot make it execute stray bytes after main returns.
main "$@"; exit
