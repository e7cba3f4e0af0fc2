# shellcheck shell=bash
# Build half of hack/local-cluster.sh: compiles the control plane from Go modules and caches it.
# Sourced by local-cluster.sh, which defines the *_VERSION / *_DIR variables, log() and die().

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
  command -v go >/dev/null 2>&1 || die "Go is not installed; need Go >= $GO_MIN_VERSION (https://go.dev/dl/ or your package manager)."
  local have
  have="$(GOTOOLCHAIN=local go env GOVERSION)"
  have="${have#go}"
  have="${have%% *}"
  if [[ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$have" | sort -V | head -n1)" != "$GO_MIN_VERSION" ]]; then
    die "Go $have is too old: Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, helm $HELM_VERSION and kwok $KWOK_VERSION need Go >= $GO_MIN_VERSION."
  fi
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
go_env() {
  env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" "$@"
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
  local dir="$SRC_DIR/kubernetes-$K8S_VERSION"
  if [[ -f "$dir/go.sum" && -f "$dir/.tidy-done" ]]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$dir" "$BUILD_LOG_DIR"
  log "preparing wrapper module for k8s.io/kubernetes@$K8S_VERSION in $dir"
  {
    echo "// Generated by hack/local-cluster.sh; builds Kubernetes $K8S_VERSION binaries from Go modules."
    echo "module gpu-finops.local/kubernetes-build"
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
  cat >"$dir/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
  (cd "$dir" && run_logged "go mod tidy (kubernetes)" "$BUILD_LOG_DIR/tidy-kubernetes.log" go_env go mod tidy)
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

build_k8s() {
  local missing=0 b
  for b in "$(bin_apiserver)" "$(bin_kubectl)" "$(bin_kcm)" "$(bin_scheduler)"; do
    cached_ok "$b" || missing=1
  done
  if ((missing == 0)); then
    log "cached: kube-apiserver kube-controller-manager kube-scheduler kubectl $K8S_VERSION"
    return 0
  fi
  local dir ldflags
  dir="$(prepare_k8s_module)"
  ldflags="$(k8s_ldflags)"
  local -a targets=(
    "kube-apiserver:$(bin_apiserver)"
    "kube-controller-manager:$(bin_kcm)"
    "kube-scheduler:$(bin_scheduler)"
    "kubectl:$(bin_kubectl)"
  )
  local t name target
  for t in "${targets[@]}"; do
    name="${t%%:*}" target="${t#*:}"
    (cd "$dir" && build_atomic "$name" "$target" \
      go_env go build -trimpath -ldflags "$ldflags" -o "$(tmp_out "$name" "$target")" "k8s.io/kubernetes/cmd/$name")
  done
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
  env GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$1" \
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
STATE_DIR=$STATE_DIR
EOF
}

# One build at a time per cache (two `up`s in two terminals would race on the same temp files).
lock_cache() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$CACHE_DIR/.build.lock"
  if ! flock -n 9; then
    log "another build is using $CACHE_DIR; waiting for it"
    flock 9
  fi
}

# Leftovers of an interrupted build (temp binaries, go install dirs); safe under the lock.
remove_stale_temps() {
  find "$CACHE_DIR/k8s" "$CACHE_DIR/bin" -maxdepth 2 \( -name '.*.tmp.*' -o -name '.gobin.*' \) \
    -exec rm -rf {} + 2>/dev/null || true
}

all_cached() {
  local b
  for b in "$(bin_apiserver)" "$(bin_kubectl)" "$(bin_kcm)" "$(bin_scheduler)" "$(bin_etcd)" \
    "$(bin_kwok)" "$(bin_helm)"; do
    cached_ok "$b" || return 1
  done
  [[ -d "$KWOK_BIN_DIR/stages" ]]
}

cmd_build() {
  # A populated cache needs no Go toolchain at all (e.g. `up` on a machine without Go).
  all_cached || check_go
  mkdir -p "$SRC_DIR" "$BUILD_LOG_DIR"
  lock_cache
  remove_stale_temps
  local start=$SECONDS
  log "cache: $CACHE_DIR (Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, helm $HELM_VERSION, kwok $KWOK_VERSION)"
  build_k8s
  build_etcd
  build_kwok
  build_helm
  log "all binaries ready in $((SECONDS - start))s"
  # Release the lock now: processes started later by `up` must not inherit it.
  exec 9>&-
  cmd_paths
}
