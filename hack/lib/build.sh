# shellcheck shell=bash
# Build half of hack/local-cluster.sh: compiles the control plane from Go modules and caches it.
# Sourced after lib/config.sh (the *_VERSION / *_DIR variables) and lib/steps.sh; the caller defines
# log() and die(). hack/demo.sh sources it too, to build what the demo needs next to its Maven build.

# Binaries every verb needs, as "<dir>/<name>" paths.
bin_apiserver() { echo "$K8S_BIN_DIR/kube-apiserver"; }
bin_etcd() { echo "$K8S_BIN_DIR/etcd"; }
bin_kubectl() { echo "$K8S_BIN_DIR/kubectl"; }
bin_kcm() { echo "$KCM_BIN_DIR/kube-controller-manager"; }
bin_scheduler() { echo "$KCM_BIN_DIR/kube-scheduler"; }
bin_kwok() { echo "$KWOK_BIN_DIR/kwok"; }
bin_helm() { echo "$HELM_BIN_DIR/helm"; }

# The toolchain must be local: GOTOOLCHAIN=auto would try to fetch a newer Go silently.
check_go() {
  local have
  have="$(go_version)"
  [[ -n "$have" ]] || die "Go is not installed; need Go >= $GO_MIN_VERSION (https://go.dev/dl/ or your package manager)."
  version_at_least "$have" "$GO_MIN_VERSION" ||
    die "Go $have is too old: Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, helm $HELM_VERSION, kwok $KWOK_VERSION and Prometheus $PROMETHEUS_MODULE_VERSION need Go >= $GO_MIN_VERSION."
}

# Asks a binary for its version (kubectl and helm have no --version flag).
run_version() {
  case "$(basename "$1")" in
    kubectl | .kubectl.*) "$1" version --client ;;
    helm | .helm.*) "$1" version ;;
    *) "$1" --version ;;
  esac
}

# A cached binary counts only if it exists and answers its version query (catches truncated files).
cached_ok() {
  local bin="$1"
  [[ -x "$bin" ]] || return 1
  run_version "$bin" >/dev/null 2>&1
}

# Runs "$@" with output to a log, printing elapsed seconds every 30 s so long builds show life.
# Succeeds or dies with the log tail.
run_logged() {
  local what="$1" logfile="$2"
  shift 2
  local start=$SECONDS pid rc=0 next=$((SECONDS + 30))
  "$@" >"$logfile" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if ((SECONDS >= next)); then
      log "  ... $what: $((SECONDS - start))s"
      next=$((next + 30))
    fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    tail -n 40 "$logfile" >&2
    die "$what failed after $((SECONDS - start))s (exit $rc); full log: $logfile"
  fi
}

# Temp file a build writes before build_atomic renames it to $2. $1=name $2=target path.
tmp_out() { echo "$(dirname "$2")/.$1.tmp.$$"; }

# Builds into a temp file next to the target and renames it: a killed build never leaves a
# half-written binary in the cache. $1=name $2=target path, rest = command writing
# "$(tmp_out name target)".
build_atomic() {
  local name="$1" target="$2"
  shift 2
  if cached_ok "$target"; then
    log "cached: $name ($target)"
    return 0
  fi
  mkdir -p "$(dirname "$target")" "$BUILD_LOG_DIR"
  TMP_OUT="$(tmp_out "$name" "$target")"
  local start=$SECONDS
  log "building $name ..."
  # shellcheck disable=SC2064 # expand TMP_OUT now: the trap must remove this very file
  trap "rm -f '$TMP_OUT'" EXIT
  run_logged "$name" "$BUILD_LOG_DIR/build-$name.log" "$@"
  run_version "$TMP_OUT" >/dev/null 2>&1 || die "$name was built but asking it for its version fails"
  mv -f "$TMP_OUT" "$target"
  trap - EXIT
  log "built $name in $((SECONDS - start))s -> $target"
}

# Settings shared by every compile: static, path-free, no VCS stamping => same inputs, same bytes.
# No DWARF from the compiler either: -ldflags -w drops it from the binaries anyway, and not generating it
# saved 7% of the CPU time (user+sys) of a cold etcd build here.
GO_NO_DWARF="-gcflags=all=-dwarf=false"
go_env() {
  env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false $GO_NO_DWARF" "$@"
}

# Prints the `replace` lines for the generated Kubernetes wrapper: every staging module that
# k8s.io/kubernetes's own go.mod points at ./staging/src/..., pinned to its published v0.X.Y tag.
k8s_staging_replaces() {
  local gomod staging_version="v0.${K8S_VERSION#v1.}"
  gomod="$(cd "$SRC_DIR" && go_env go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION from the Go module proxy"
  awk -v v="$staging_version" '
    /^replace \(/ { inblock = 1; next }
    inblock && /^\)/ { inblock = 0 }
    inblock && $2 == "=>" && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }
  ' "$gomod"
}

# Build date = the module's publish time from the proxy, not "now", so rebuilds are byte-identical.
module_time() {
  (cd "$SRC_DIR" && go_env go list -m -json "$1") | sed -n 's/^\t"Time": "\(.*\)",\{0,1\}$/\1/p'
}

k8s_ldflags() {
  local minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local date flags="-s -w" pkg kv key val
  date="$(module_time "k8s.io/kubernetes@$K8S_VERSION")"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for kv in "gitVersion=$K8S_VERSION" gitMajor=1 "gitMinor=$minor" gitCommit= \
      gitTreeState=archive "buildDate=$date"; do
      key="${kv%%=*}" val="${kv#*=}"
      flags+=" -X '$pkg.$key=$val'"
    done
  done
  echo "$flags"
}

# Generated once per version under the cache (never in the repo): go.mod requiring
# k8s.io/kubernetes, the staging replaces, and a tools.go so `go mod tidy` pins all four commands.
prepare_k8s_module() {
  prepare_k8s_wrapper "$SRC_DIR/kubernetes-$K8S_VERSION" kube-apiserver kube-controller-manager kube-scheduler kubectl
}

# $1=dir, rest = commands of k8s.io/kubernetes/cmd/ the wrapper module pins (lib/realnode.sh makes one for
# the kubelet beside the control plane's, so the default build never downloads the kubelet's dependencies).
prepare_k8s_wrapper() {
  local dir="$1" cmd
  shift
  if [[ -f "$dir/go.sum" && -f "$dir/.tidy-done" ]]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$dir" "$BUILD_LOG_DIR"
  log "preparing wrapper module for k8s.io/kubernetes@$K8S_VERSION in $dir"
  {
    echo "// Generated by hack/local-cluster.sh; builds Kubernetes $K8S_VERSION binaries from Go modules."
    echo "module gpu-finops.local/$(basename "${dir%-"$K8S_VERSION"}")-build"
    echo
    echo "go 1.24.0"
    echo
    echo "godebug default=go1.24"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    k8s_staging_replaces
    echo ")"
  } >"$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in "$@"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"; done
    printf ')\n'
  } >"$dir/tools.go"
  (cd "$dir" && run_logged "go mod tidy ($(basename "$dir"))" "$BUILD_LOG_DIR/tidy-$(basename "${dir%-"$K8S_VERSION"}").log" go_env go mod tidy)
  touch "$dir/.tidy-done"
  echo "$dir"
}

# etcd's server module only ships the etcdmain package; a three-line main makes it a binary
# (the same thing etcd's own top-level main.go does).
prepare_etcd_module() {
  local dir="$SRC_DIR/etcd-$ETCD_VERSION"
  if [[ -f "$dir/go.sum" && -f "$dir/.tidy-done" ]]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$dir" "$BUILD_LOG_DIR"
  log "preparing wrapper module for go.etcd.io/etcd/server/v3@$ETCD_VERSION in $dir"
  cat >"$dir/go.mod" <<EOF
// Generated by hack/local-cluster.sh; builds etcd $ETCD_VERSION from Go modules.
module gpu-finops.local/etcd-build

go 1.26.0

require (
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
	go.etcd.io/etcd/api/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
)
EOF
  cat >"$dir/main.go" <<'EOF'
// Command etcd: the etcd server, built from go.etcd.io/etcd/server/v3.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$dir" && run_logged "go mod tidy (etcd)" "$BUILD_LOG_DIR/tidy-etcd.log" go_env go mod tidy)
  touch "$dir/.tidy-done"
  echo "$dir"
}

k8s_targets() {
  echo "kube-apiserver:$(bin_apiserver)"
  echo "kube-controller-manager:$(bin_kcm)"
  echo "kube-scheduler:$(bin_scheduler)"
  echo "kubectl:$(bin_kubectl)"
}

k8s_cached() {
  local t
  for t in $(k8s_targets); do cached_ok "${t#*:}" || return 1; done
}

# The missing Kubernetes commands in one `go build`: the packages they share (client-go, apimachinery,
# apiserver) are compiled once, and one binary links while the next one's packages compile.
build_k8s() {
  local -a names=() pkgs=()
  local t name target
  for t in $(k8s_targets); do
    name="${t%%:*}" target="${t#*:}"
    if cached_ok "$target"; then
      log "cached: $name ($target)"
    else
      names+=("$name")
      pkgs+=("k8s.io/kubernetes/cmd/$name")
    fi
  done
  ((${#names[@]})) || return 0
  local dir ldflags tmp="$CACHE_DIR/k8s/.build.tmp.$$" start=$SECONDS
  dir="$(prepare_k8s_module)"
  ldflags="$(k8s_ldflags)"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$BUILD_LOG_DIR"
  # shellcheck disable=SC2064 # remove this very directory, even if the build fails
  trap "rm -rf '$tmp'" EXIT
  log "building ${names[*]} ..."
  (cd "$dir" && run_logged "${names[*]}" "$BUILD_LOG_DIR/build-kubernetes.log" \
    go_env go build -trimpath -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}")
  for t in $(k8s_targets); do
    name="${t%%:*}" target="${t#*:}"
    [[ -f "$tmp/$name" ]] || continue
    run_version "$tmp/$name" >/dev/null 2>&1 || die "$name was built but asking it for its version fails"
    mkdir -p "$(dirname "$target")"
    mv -f "$tmp/$name" "$target"
    log "built $name -> $target"
  done
  rm -rf "$tmp"
  trap - EXIT
  log "built ${names[*]} in $((SECONDS - start))s"
}

build_etcd() {
  if cached_ok "$(bin_etcd)"; then
    log "cached: etcd ($(bin_etcd))"
    return 0
  fi
  local dir
  dir="$(prepare_etcd_module)"
  (cd "$dir" && build_atomic etcd "$(bin_etcd)" \
    go_env go build -trimpath -ldflags "-s -w" -o "$(tmp_out etcd "$(bin_etcd)")" .)
}

# `go install pkg@version` builds outside any module and refuses -mod=mod, hence its own env.
# $1=GOBIN $2=ldflags $3=pkg@version $4=binary name $5=final temp path.
go_install_to() {
  env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false $GO_NO_DWARF" GOBIN="$1" \
    go install -trimpath -ldflags "$2" "$3" && mv -f "$1/$4" "$5"
}

build_go_install() {
  local name="$1" pkg="$2" target="$3" ldflags="$4"
  local gobin
  gobin="$(dirname "$target")/.gobin.$$"
  mkdir -p "$gobin"
  build_atomic "$name" "$target" \
    go_install_to "$gobin" "$ldflags" "$pkg" "$name" "$(tmp_out "$name" "$target")"
  rm -rf "$gobin"
}

build_helm() {
  build_go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" "$(bin_helm)" \
    "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=archive"
}

build_kwok() {
  build_go_install kwok "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "$(bin_kwok)" \
    "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
  extract_kwok_stages
}

# The kwok binary has no built-in lifecycle (kwokctl normally passes one in), so the Stage
# files shipped in the kwok module are kept next to the binary, in the order they are applied.
KWOK_STAGE_FILES=(
  node/fast/node-initialize.yaml
  node/heartbeat-with-lease/node-heartbeat-with-lease.yaml
  pod/general/pod-create.yaml
  pod/general/pod-init-container-running.yaml
  pod/general/pod-init-container-completed.yaml
  pod/general/pod-ready.yaml
  pod/general/pod-complete.yaml
  pod/general/pod-delete.yaml
)

extract_kwok_stages() {
  local dest="$KWOK_BIN_DIR/stages"
  [[ -d "$dest" ]] && return 0
  local moddir tmp i=10 f
  moddir="$(cd "$SRC_DIR" && GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$moddir/kustomize/stage" ]] || die "kwok module source not found (go mod download sigs.k8s.io/kwok@$KWOK_VERSION)"
  tmp="$KWOK_BIN_DIR/.stages.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  for f in "${KWOK_STAGE_FILES[@]}"; do
    cp "$moddir/kustomize/stage/$f" "$tmp/$i-$(basename "$f")"
    i=$((i + 10))
  done
  chmod 644 "$tmp"/*.yaml
  mv "$tmp" "$dest"
  log "kwok stages copied from the module to $dest"
}

cmd_paths() {
  cat <<EOF
KUBE_API_TEST_DIR=$CACHE_DIR
K8S_BIN_DIR=$K8S_BIN_DIR
KUBERNETES_EXTRA_BIN_DIR=$KCM_BIN_DIR
KWOK_BIN_DIR=$KWOK_BIN_DIR
HELM_BIN_DIR=$HELM_BIN_DIR
PROMETHEUS_BIN_DIR=$PROMETHEUS_BIN_DIR
STATE_DIR=$STATE_DIR
EOF
}

# One build at a time per cache (two `up`s in two terminals would race on the same temp files).
lock_cache() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.build.lock"
  if ! flock -n 9; then
    log "another build is using $CACHE_DIR; waiting for it"
    flock 9
  fi
}

unlock_cache() { exec 9>&-; }

# Leftovers of an interrupted build (temp binaries, go install dirs); safe under the lock.
remove_stale_temps() {
  find "$CACHE_DIR/k8s" "$CACHE_DIR/bin" -maxdepth 2 \( -name '.*.tmp.*' -o -name '.gobin.*' \) \
    -exec rm -rf {} + 2>/dev/null || true
}

etcd_cached() { cached_ok "$(bin_etcd)"; }
kwok_cached() { cached_ok "$(bin_kwok)" && [[ -d "$KWOK_BIN_DIR/stages" ]]; }
helm_cached() { cached_ok "$(bin_helm)"; }

# What each target needs: the demo runs no helm; the tests need everything.
all_cached() {
  local target="${1:-all}"
  k8s_cached && etcd_cached && kwok_cached && prometheus_ready || return 1
  [[ "$target" == demo ]] || helm_cached
  [[ -z "$(missing_system_packages)" ]]
}

# How long each step took on this 2-core machine with empty Go module, Go build and Maven caches, while
# other builds kept the load average at 4-7 (hack/README.md "First run"); shown while the step runs.
USUAL_SECONDS_K8S=485
USUAL_SECONDS_ETCD=40
USUAL_SECONDS_KWOK=95
USUAL_SECONDS_HELM=150
USUAL_SECONDS_PROMETHEUS_GO=250
USUAL_SECONDS_PROMETHEUS_APT=10
USUAL_SECONDS_SYSTEM_PACKAGES=20

step_system_packages() { install_system_packages; }
step_prometheus_apt() { install_prometheus_apt; }
step_prometheus_go() { build_prometheus_go; }
step_k8s() { build_k8s; }
step_etcd() { build_etcd; }
step_kwok() { build_kwok; }
step_helm() { build_helm; }

# Adds to the step plan what is missing for $1 (demo | all). The Go builds run one after the other in lane
# "go": measured here on 2 cores with a cold Go build cache, etcd and kwok built side by side took 267 s and
# 279 s against 225 s and 172 s one after the other (they share dependencies that two concurrent builds
# compile twice, and one `go build` already keeps both cores busy). Package installs (network and disk,
# little CPU) run beside them in lane "sys". GPU_FINOPS_BUILD_LANES=2 splits the Go builds in two lanes,
# for bigger machines.
plan_build_steps() {
  local target="$1" go2=go
  [[ "${GPU_FINOPS_BUILD_LANES:-1}" == 2 ]] && go2=go2
  [[ -n "$(missing_system_packages)" ]] &&
    step_add system-packages sys "$USUAL_SECONDS_SYSTEM_PACKAGES" "system packages: $(missing_system_packages) (apt-get)" step_system_packages
  case "$(prometheus_plan)" in
    ready) ;;
    path) use_prometheus_on_path ;;
    go-cached) link_prometheus "$PROMETHEUS_BUILD_DIR" ;;
    debian) link_prometheus /usr/bin ;;
    apt) step_add prometheus sys "$USUAL_SECONDS_PROMETHEUS_APT" "prometheus, promtool (apt-get install prometheus)" step_prometheus_apt ;;
    go) step_add prometheus "$go2" "$USUAL_SECONDS_PROMETHEUS_GO" "prometheus, promtool $PROMETHEUS_MODULE_VERSION (go build)" step_prometheus_go ;;
  esac
  k8s_cached || step_add kubernetes go "$USUAL_SECONDS_K8S" "kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $K8S_VERSION (go build)" step_k8s
  etcd_cached || step_add etcd "$go2" "$USUAL_SECONDS_ETCD" "etcd $ETCD_VERSION (go build)" step_etcd
  kwok_cached || step_add kwok "$go2" "$USUAL_SECONDS_KWOK" "kwok $KWOK_VERSION (go build)" step_kwok
  if [[ "$target" != demo ]]; then
    helm_cached || step_add helm "$go2" "$USUAL_SECONDS_HELM" "helm $HELM_VERSION (go build, for the tests)" step_helm
  fi
}

# Checks what the plan needs before anything starts: Go only if something is compiled.
check_build_prerequisites() {
  check_system_packages_installable
  local id
  for id in "${STEP_IDS[@]}"; do
    case "$id" in kubernetes | etcd | kwok | helm | prometheus | kubelet)
      [[ "$id" == prometheus && "${STEP_FN[$id]}" == step_prometheus_apt ]] && continue
      check_go
      return ;;
    esac
  done
}

# build [--for demo|all] [--real-node]: everything the demo (no helm) or the tests (all, the default) need; with
# --real-node also containerd, runc, the CNI plugins, the kubelet and the pause image (lib/realnode.sh).
cmd_build() {
  local target=all real_node=0
  while (($#)); do
    case "$1" in
      --for) target="${2:-}"; [[ "$target" == demo || "$target" == all ]] || die "usage: build [--for demo|all] [--real-node]"; shift ;;
      --real-node) real_node=1 ;;
      *) die "usage: build [--for demo|all] [--real-node]" ;;
    esac
    shift
  done
  mkdir -p "$SRC_DIR" "$BUILD_LOG_DIR"
  # Nothing to build: no lock, so restarting a component (`up` after a crash) never waits for another
  # checkout's build of something else. Binaries land by rename, so a complete cache is safe to read.
  if all_cached "$target"; then
    cmd_paths
    return
  fi
  lock_cache
  remove_stale_temps
  local start=$SECONDS
  log "cache: $CACHE_DIR (Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION, helm $HELM_VERSION, Prometheus $PROMETHEUS_MODULE_VERSION or the system's)"
  steps_reset "$BUILD_LOG_DIR/steps"
  plan_build_steps "$target"
  if ((real_node)); then
    check_real_node_prerequisites
    plan_real_node_steps
  fi
  if (($(steps_count))); then
    check_build_prerequisites
    log "$(steps_phrase) to build, usually ~$(human_seconds "$(steps_usual_total)") here in all (once; later runs reuse $CACHE_DIR)"
    trap steps_abort EXIT
    steps_run
    trap - EXIT
  fi
  all_cached "$target" || die "the build finished, but something is still missing (hack/doctor.sh tells what)"
  ((real_node == 0)) || real_node_cached || die "the build finished, but the real node's $(missing_node_packages) kubelet or pause image is missing"
  log "all binaries ready in $((SECONDS - start))s"
  # Release the lock now: processes started later by `up` must not inherit it.
  unlock_cache
  cmd_paths
}
