#!/usr/bin/env bash
# One screen on what the demo and the tests need: what is present, missing or stale, which ports are
# taken, what an earlier run left behind, and the command that fixes each. Changes nothing.
#
#   hack/doctor.sh          exit 0 when nothing blocks hack/demo.sh and ./mvnw -B verify
#
# Honours the same environment as the other scripts (GPU_FINOPS_CACHE, GPU_FINOPS_STATE, the port
# variables of hack/README.md).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
HACK_DIR="$ROOT/hack"
log() { printf '[doctor] %s\n' "$*" >&2; }
die() { printf '[doctor] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=hack/lib/config.sh
source "$HACK_DIR/lib/config.sh"
# shellcheck source=hack/lib/steps.sh
source "$HACK_DIR/lib/steps.sh"
# shellcheck source=hack/lib/build.sh
source "$HACK_DIR/lib/build.sh"
# shellcheck source=hack/lib/install.sh
source "$HACK_DIR/lib/install.sh"
# shellcheck source=hack/lib/cluster.sh
source "$HACK_DIR/lib/cluster.sh"

PROBLEMS=0
BUILD_FIX="hack/local-cluster.sh build   (or just run hack/demo.sh / ./mvnw -B verify: they build it)"

# One line per finding: state, what, detail; and the fix on the next line when there is one.
row() {
  local state="$1" what="$2" detail="$3" fix="${4:-}"
  printf '  %-8s %-26s %s\n' "$state" "$what" "$detail"
  [[ -n "$fix" ]] && printf '  %-8s %-26s fix: %s\n' "" "" "$fix"
  case "$state" in MISSING | BROKEN | OLD) PROBLEMS=$((PROBLEMS + 1)) ;; esac
  return 0
}

section() { printf '\n%s\n' "$1"; }

check_toolchain() {
  section "toolchain"
  local major go
  major="$(java_major)"
  if [[ -z "$major" ]]; then
    row MISSING java "need Java >= $JAVA_MIN_MAJOR" "apt-get install -y openjdk-17-jdk-headless"
  elif ((major < JAVA_MIN_MAJOR)); then
    row OLD java "Java $major, need >= $JAVA_MIN_MAJOR" "apt-get install -y openjdk-17-jdk-headless"
  else
    row ok java "Java $major ($(command -v java))"
  fi
  go="$(go_version)"
  local need_go=1
  all_cached all && need_go=0
  if [[ -z "$go" ]] && ((need_go)); then
    row MISSING go "need Go >= $GO_MIN_VERSION to build the control plane" "https://go.dev/dl/"
  elif [[ -z "$go" ]]; then
    row ok go "not installed, not needed: everything is built"
  elif ! version_at_least "$go" "$GO_MIN_VERSION" && ((need_go)); then
    row OLD go "Go $go, need >= $GO_MIN_VERSION" "https://go.dev/dl/"
  elif ! version_at_least "$go" "$GO_MIN_VERSION"; then
    row ok go "Go $go is too old to build, but everything is built"
  else
    row ok go "Go $go (GOTOOLCHAIN=local; module cache $(GOTOOLCHAIN=local go env GOMODCACHE))"
  fi
  local mvn
  mvn="$(sed -n 's/^distributionUrl=.*apache-maven-\([0-9.]*\)-bin.zip/\1/p' .mvn/wrapper/maven-wrapper.properties)"
  if compgen -G "${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists/apache-maven-$mvn*" >/dev/null; then
    row ok maven "Maven $mvn (./mvnw)"
  else
    row ok maven "Maven $mvn: ./mvnw downloads it on first use"
  fi
  local pkgs
  pkgs="$(missing_system_packages)"
  if [[ -n "$pkgs" ]]; then
    if is_root && have_apt; then
      row missing "system commands" "from: $pkgs (the build installs them with apt-get)"
    else
      row MISSING "system commands" "from: $pkgs" "as root: apt-get install -y $pkgs"
    fi
  else
    row ok "system commands" "openssl, curl, setsid$(command -v ss >/dev/null && echo ", ss")"
  fi
}

# $1=name $2=path $3=version text its version command must print
check_binary() {
  local name="$1" bin="$2" want="$3" out
  if [[ ! -e "$bin" ]]; then
    row missing "$name" "$want: not built yet ($bin)" "$BUILD_FIX"
  elif ! out="$(run_version "$bin" 2>&1)"; then
    row BROKEN "$name" "$bin does not run its version command" "rm -f '$bin' && hack/local-cluster.sh build"
  elif ! grep -qF "$want" <<<"$out"; then
    row STALE "$name" "$(head -n1 <<<"$out") instead of $want" "rm -f '$bin' && hack/local-cluster.sh build"
  else
    row ok "$name" "$want"
  fi
}

check_binaries() {
  section "cached binaries in $CACHE_DIR (pinned in hack/lib/config.sh)"
  check_binary kube-apiserver "$(bin_apiserver)" "$K8S_VERSION"
  check_binary kube-controller-manager "$(bin_kcm)" "$K8S_VERSION"
  check_binary kube-scheduler "$(bin_scheduler)" "$K8S_VERSION"
  check_binary kubectl "$(bin_kubectl)" "$K8S_VERSION"
  check_binary etcd "$(bin_etcd)" "${ETCD_VERSION#v}"
  check_binary kwok "$(bin_kwok)" "$KWOK_VERSION"
  check_binary "helm (tests only)" "$(bin_helm)" "$HELM_VERSION"
  [[ -d "$KWOK_BIN_DIR/stages" || ! -e "$(bin_kwok)" ]] ||
    row MISSING "kwok stages" "$KWOK_BIN_DIR/stages" "rm -f '$(bin_kwok)' && hack/local-cluster.sh build"
  check_prometheus
  # Directories of other versions: left by a version bump, never used again.
  local dir old=()
  for dir in "$CACHE_DIR"/bin/*-v* "$CACHE_DIR"/k8s/*-"$OS_ARCH"; do
    [[ -d "$dir" ]] || continue
    case "$dir" in
      "$KCM_BIN_DIR" | "$HELM_BIN_DIR" | "$KWOK_BIN_DIR" | "$PROMETHEUS_BUILD_DIR" | "$K8S_BIN_DIR") ;;
      *) old+=("$dir") ;;
    esac
  done
  ((${#old[@]})) && row STALE "other versions" "${old[*]}" "rm -rf ${old[*]}"
  return 0
}

check_prometheus() {
  local want="${PROMETHEUS_MODULE_VERSION#v0.}"
  want="${want:0:1}.$((10#${want:1:2})).${want#*.}"
  if prometheus_ready; then
    local target version
    target="$(readlink -f "$(prometheus_bin)")"
    version="$(prometheus_version_of "$(prometheus_bin)")"
    if [[ "$target" == "$PROMETHEUS_BUILD_DIR/"* ]]; then
      row ok "prometheus, promtool" "$version, built from Go modules ($target)"
    else
      row ok "prometheus, promtool" "$version from $(dirname "$target") (the Go build would be $want)"
    fi
  else
    local how
    case "$(prometheus_plan 2>/dev/null)" in
      path) how="the build links the ones on PATH ($(prometheus_on_path))" ;;
      apt) how="the build installs Debian's package (apt-get, as root)" ;;
      debian) how="the build links Debian's /usr/bin/prometheus" ;;
      go | go-cached) how="the build compiles $want from Prometheus's Go module (no root needed)" ;;
      *) how="" ;;
    esac
    row missing "prometheus, promtool" "not in $PROMETHEUS_BIN_DIR yet; $how" "$BUILD_FIX"
  fi
  # Debian's own service, started by a package install made outside these scripts.
  if [[ -d /run/systemd/system ]] && systemctl is-active --quiet prometheus.service 2>/dev/null; then
    row note "prometheus.service" "Debian's own Prometheus runs (on :9090 by default); the cluster then uses 19090" \
      "systemctl disable --now prometheus   (if you do not use it)"
  fi
}

check_ports() {
  section "ports on 127.0.0.1 (hack/README.md \"Ports\")"
  load_ports
  local c port owner pid
  local -a entries=()
  for c in "${COMPONENTS[@]}"; do entries+=("$c:$(component_port "$c"):$(port_var "$c")"); done
  entries+=("etcd (peer):$ETCD_PEER_PORT:GPU_FINOPS_ETCD_PEER_PORT" "simulator metrics:$SIM_METRICS_PORT:GPU_FINOPS_SIM_METRICS_PORT"
    "operator http (demo):$OPERATOR_HTTP_PORT:GPU_FINOPS_OPERATOR_HTTP_PORT")
  local e name var
  for e in "${entries[@]}"; do
    name="${e%%:*}" port="${e#*:}" port="${port%%:*}" var="${e##*:}"
    if ! port_in_use "$port"; then
      row ok "$name" "$port free"
      continue
    fi
    pid=""
    [[ "$name" == "etcd (peer)" ]] && pid="$(component_pid etcd)"
    [[ -z "$pid" ]] && pid="$(component_pid "$name" 2>/dev/null)"
    owner="$(port_owner "$port")"
    if [[ -n "$pid" ]]; then
      row ok "$name" "$port: this cluster's ${name% (peer)} (pid $pid)"
    elif [[ -n "$owner" && " $(demo_pids) " == *" $(owner_pid "$owner") "* ]]; then
      row ok "$name" "$port: the running demo's ${name% (demo)}"
    else
      row busy "$name" "$port taken${owner:+ by $owner}" "stop it, or set $var to a free port"
    fi
  done
}

# '"java" (pid 123)' -> 123
owner_pid() {
  local p="${1##*pid }"
  echo "${p%%)*}"
}

# The operator and simulator a demo of this state dir runs (from its copy of the build).
demo_pids() { pgrep -f -- "$STATE_DIR/demo/build/" 2>/dev/null | tr '\n' ' '; }

check_leftovers() {
  section "leftovers of earlier runs"
  local c pid running=() stale=()
  if [[ -d "$STATE_DIR" ]]; then
    for c in "${COMPONENTS[@]}"; do
      [[ -f "$(pid_file "$c")" ]] || continue
      pid="$(component_pid "$c")"
      if [[ -n "$pid" ]]; then running+=("$c:$pid"); else stale+=("$(pid_file "$c")"); fi
    done
    if ((${#running[@]})); then
      row running "local cluster" "${running[*]} ($STATE_DIR)" "hack/local-cluster.sh down   (down --purge also wipes its state)"
    else
      row ok "local cluster" "not running; state kept in $STATE_DIR ($(du -sh "$STATE_DIR" 2>/dev/null | cut -f1))" \
        "hack/local-cluster.sh down --purge   (only to start from an empty cluster)"
    fi
    ((${#stale[@]})) && row STALE "pid files" "${stale[*]} (their processes are gone)" "hack/local-cluster.sh down"
  else
    row ok "local cluster" "no state yet ($STATE_DIR)"
  fi
  # The demo keeps its operator and simulator PIDs in memory only: after a `kill -9` of hack/demo.sh they run on.
  local demo
  demo="$(demo_pids)"
  [[ -n "$demo" ]] && row running "demo processes" "pids $demo(operator/simulator from $STATE_DIR/demo/build)" \
    "kill $demo  (if no hack/demo.sh is running)"
  local e2e dir
  for dir in target/e2e-cluster-*; do
    [[ -d "$dir/pids" ]] || continue
    e2e=""
    for c in "${COMPONENTS[@]}"; do
      pid="$(GPU_FINOPS_STATE="$dir" STATE_DIR="$dir" PID_DIR="$dir/pids" component_pid "$c")"
      [[ -n "$pid" ]] && e2e+="$c:$pid "
    done
    [[ -n "$e2e" ]] && row running "E2E cluster" "$e2e($dir; a ./mvnw verify running, or one that was killed)" \
      "GPU_FINOPS_STATE=$ROOT/$dir hack/local-cluster.sh down --purge   (if no test run uses it)"
  done
  local temps
  temps="$(find "$CACHE_DIR/k8s" "$CACHE_DIR/bin" -maxdepth 2 \( -name '.*.tmp.*' -o -name '.gobin.*' \) 2>/dev/null | head -n 5 | tr '\n' ' ')"
  [[ -n "$temps" ]] && row STALE "temp files" "$temps(an interrupted build)" "hack/local-cluster.sh build   (removes them first)"
  if [[ -f "$CACHE_DIR/.build.lock" ]] && command -v flock >/dev/null && ! flock -n "$CACHE_DIR/.build.lock" true; then
    row running "build" "a build holds $CACHE_DIR/.build.lock now" "wait for it (its logs: $BUILD_LOG_DIR)"
  fi
  return 0
}

main() {
  printf 'gpu-finops doctor: cache %s, state %s\n' "$CACHE_DIR" "$STATE_DIR"
  check_toolchain
  check_binaries
  check_ports
  check_leftovers
  echo
  if ((PROBLEMS)); then
    echo "$PROBLEMS problem(s) above need the fix shown; 'missing' ones are built by hack/demo.sh or ./mvnw -B verify."
    return 1
  fi
  echo "nothing blocks hack/demo.sh or ./mvnw -B verify ('missing' ones are built on their first run)."
}

main; exit
