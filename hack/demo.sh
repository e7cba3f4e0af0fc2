#!/usr/bin/env bash
# The operator at work on a simulated GPU cluster, in one command.
#
#   hack/demo.sh                     run until Ctrl-C
#   hack/demo.sh --duration 90       run 90 s, check every budget and pool is Ready, clean up (CI-style)
#
# What it does:
#   1. builds the operator and the simulator (./mvnw package -DskipTests; simulator/ is its own Maven project)
#   2. starts the local control plane (hack/local-cluster.sh up; the first run compiles Kubernetes from
#      Go modules, ~6 min on 2 cores) unless it is already up
#   3. installs the CRDs (crds/), the namespaces and the samples (deploy/samples: budgets into the
#      simulator's namespaces, pools cluster-wide)
#   4. starts the GPU cluster simulator (simulator/target/gpu-finops-simulator.jar: ten kwok GPU nodes, GPU workloads,
#      finishing Jobs, spot interruptions, DCGM metrics scraped by Prometheus)
#   5. starts the operator (java -jar target/quarkus-app/quarkus-run.jar) against that cluster
#   6. shows `kubectl get eb,gp -A` every 5 seconds
# Ctrl-C stops the simulator and the operator, and the local cluster only if this script started it.
# Logs: <state>/demo/{simulator,operator}.log (<state> = ${GPU_FINOPS_STATE:-~/.local/state/gpu-finops});
# the build is copied to <state>/demo/build and run from there, so rebuilding meanwhile is harmless.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

JAVA_MIN_MAJOR=17
GO_MIN_VERSION="1.26.0"
STATE_DIR="${GPU_FINOPS_STATE:-$HOME/.local/state/gpu-finops}"
DEMO_DIR="$STATE_DIR/demo"
BUILD_COPY="$DEMO_DIR/build"
OPERATOR_HTTP_PORT="${GPU_FINOPS_OPERATOR_HTTP_PORT:-8080}"
REFRESH_SECONDS=5
DURATION=""

# Budget (metadata.name in deploy/samples) -> namespace the simulator runs its workloads in
# (dev.finops.sim.DemoScenario.ML_RESEARCH / VISION / RECSYS). Unknown budgets go to "default".
budget_namespace() {
  case "$1" in
    llm-sweep-42) echo ml-research ;;
    vision-team-monthly) echo vision ;;
    recsys-weekly-dry-run) echo recsys ;;
    *) echo default ;;
  esac
}
DEMO_NAMESPACES=(ml-research vision recsys)

log() { printf '[demo] %s\n' "$*" >&2; }
die() { printf '[demo] ERROR: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --duration)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--duration needs a number of seconds"
      DURATION="$2"
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# prerequisites, checked before anything is built or started
# ---------------------------------------------------------------------------------------------

check_java() {
  command -v java >/dev/null 2>&1 || die "Java is not installed; need Java >= $JAVA_MIN_MAJOR (e.g. apt-get install openjdk-17-jdk-headless)"
  local version major
  version="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${version%%.*}"
  [[ "$major" == 1 ]] && major="$(echo "$version" | cut -d. -f2)" # 1.8.0_x -> 8
  [[ "$major" =~ ^[0-9]+$ ]] || die "cannot read the Java version from 'java -version' ($version)"
  ((major >= JAVA_MIN_MAJOR)) || die "Java $version is too old; need Java >= $JAVA_MIN_MAJOR (e.g. apt-get install openjdk-17-jdk-headless)"
}

# Go builds the control plane on the first run; once everything is cached it is not used.
cluster_binaries_cached() {
  local paths k8s extra kwok helm
  paths="$(hack/local-cluster.sh paths 2>/dev/null)" || return 1
  k8s="$(sed -n 's/^K8S_BIN_DIR=//p' <<<"$paths")"
  extra="$(sed -n 's/^KUBERNETES_EXTRA_BIN_DIR=//p' <<<"$paths")"
  kwok="$(sed -n 's/^KWOK_BIN_DIR=//p' <<<"$paths")"
  helm="$(sed -n 's/^HELM_BIN_DIR=//p' <<<"$paths")"
  [[ -x "$k8s/kube-apiserver" && -x "$k8s/etcd" && -x "$k8s/kubectl" && -x "$extra/kube-controller-manager" \
    && -x "$extra/kube-scheduler" && -x "$kwok/kwok" && -x "$helm/helm" ]]
}

check_go() {
  local have=""
  command -v go >/dev/null 2>&1 && have="$(go env GOVERSION 2>/dev/null | sed 's/^go//')"
  if [[ -n "$have" && "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$have" | sort -V | head -n1)" == "$GO_MIN_VERSION" ]]; then
    return 0
  fi
  local problem="Go ${have:-is not installed}${have:+ is too old}"
  if cluster_binaries_cached; then
    log "note: $problem, but the control-plane binaries are already built, so it is not needed"
    return 0
  fi
  die "$problem; the first run compiles the local control plane from Go modules and needs Go >= $GO_MIN_VERSION (https://go.dev/dl/)"
}

check_prometheus() {
  command -v prometheus >/dev/null 2>&1 || die "Prometheus is not installed. Install it with:
    sudo apt-get install -y --no-install-recommends prometheus && sudo systemctl disable --now prometheus
  (the second command stops Debian's own instance on :9090; the demo runs its own)"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# processes this script starts, and the cleanup that stops exactly those
# ---------------------------------------------------------------------------------------------

SIM_PID=""
OPERATOR_PID=""
CLUSTER_STARTED_HERE=0
CLEANED=0

stop_pid() {
  local name="$1" pid="$2" i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  log "$name stopped (pid $pid)"
}

cleanup() {
  local rc=$?
  ((CLEANED)) && return
  CLEANED=1
  trap - INT TERM
  echo >&2
  stop_pid operator "$OPERATOR_PID"
  stop_pid simulator "$SIM_PID"
  if ((CLUSTER_STARTED_HERE)); then
    log "stopping the local cluster this demo started"
    hack/local-cluster.sh down >&2 || true
  elif [[ -n "${KUBECONFIG:-}" ]]; then
    log "the local cluster was already running before the demo, so it is left running" \
      "(hack/local-cluster.sh down stops it; the demo's nodes and namespaces stay until then, re-running the demo reuses them)"
  fi
  log "logs: $DEMO_DIR/simulator.log, $DEMO_DIR/operator.log"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits up to $1 seconds for a command to succeed: returns 1 on timeout, 2 as soon as process $2 dies.
wait_for() {
  local timeout="$1" pid="$2" deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------
# steps
# ---------------------------------------------------------------------------------------------

build() {
  mkdir -p "$DEMO_DIR"
  log "building the operator and the simulator (./mvnw package -DskipTests, twice; a minute or two the first time)"
  ./mvnw -B -q package -DskipTests >&2 || die "the operator's build failed (see above)"
  ./mvnw -B -q -f simulator/pom.xml package -DskipTests >&2 || die "the simulator's build failed (see above)"
  # Run from a copy, so that rebuilding (mvn package, mvn test) while the demo runs cannot pull classes
  # or jars from under the running operator and simulator.
  rm -rf "$BUILD_COPY"
  mkdir -p "$BUILD_COPY/simulator"
  cp -r target/quarkus-app "$BUILD_COPY/"
  cp -r simulator/target/gpu-finops-simulator.jar simulator/target/lib "$BUILD_COPY/simulator/"
  [[ -f "$BUILD_COPY/quarkus-app/quarkus-run.jar" ]] || die "target/quarkus-app/quarkus-run.jar missing after the build"
  [[ -f "$BUILD_COPY/simulator/gpu-finops-simulator.jar" ]] || die "simulator/target/gpu-finops-simulator.jar missing after the build"
}

start_cluster() {
  if hack/local-cluster.sh status >/dev/null 2>&1; then
    log "local cluster already up; using it"
  else
    if ! cluster_binaries_cached; then
      log "first run: compiling kube-apiserver, etcd, kwok and friends from Go modules (~6 min on 2 cores, once)"
    fi
    log "starting the local cluster (hack/local-cluster.sh up)"
    CLUSTER_STARTED_HERE=1
    hack/local-cluster.sh up >/dev/null || die "hack/local-cluster.sh up failed (see above)"
  fi
  eval "$(hack/local-cluster.sh env)"
  export KUBECONFIG
  command -v kubectl >/dev/null || die "kubectl not found after 'hack/local-cluster.sh env'"
}

# metadata.name of the first document of a sample file (samples have one object each).
sample_name() { awk '/^metadata:/ {m=1; next} m && /^  name:/ {print $2; exit}' "$1"; }
sample_kind() { awk '/^kind:/ {print $2; exit}' "$1"; }

install_resources() {
  log "installing the CRDs (crds/)"
  kubectl apply -f crds/ >/dev/null
  kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
  local ns file kind name
  for ns in "${DEMO_NAMESPACES[@]}"; do
    kubectl get namespace "$ns" >/dev/null 2>&1 || kubectl create namespace "$ns" >/dev/null
  done
  for file in deploy/samples/*.yaml; do
    kind="$(sample_kind "$file")"
    name="$(sample_name "$file")"
    case "$kind" in
      ExperimentBudget)
        ns="$(budget_namespace "$name")"
        kubectl apply -n "$ns" -f "$file" >/dev/null
        log "applied ExperimentBudget $name into namespace $ns ($file)"
        ;;
      GpuPool)
        kubectl apply -f "$file" >/dev/null
        log "applied GpuPool $name ($file)"
        ;;
      *) log "skipped $file (kind ${kind:-unknown})" ;;
    esac
  done
  apply_enforcement_showcase
  apply_capacity_providers
  # idle detection needs a full window of evidence: 2 minutes instead of the sample's 30, so the idle
  # notebook (ml-research/jupyter-alice, 1% busy) is found and scaled down while you watch
  kubectl patch gpupool training-gpus --type merge -p '{"spec":{"idle":{"window":"2m"}}}' >/dev/null
}

# The node-pool APIs the sample GpuPools steer: the real Karpenter NodePool and Cluster API MachineDeployment
# CRDs (from their Go modules, hack/fetch-provider-crds.sh) with the objects the samples name. Nothing runs
# behind them here (no Karpenter, no Cluster API controllers): the demo shows what the operator writes.
apply_capacity_providers() {
  local crds="$DEMO_DIR/provider-crds"
  hack/fetch-provider-crds.sh "$crds" >/dev/null
  kubectl apply --server-side -f "$crds" >/dev/null
  kubectl wait --for=condition=Established crd/nodepools.karpenter.sh crd/machinedeployments.cluster.x-k8s.io \
    --timeout=60s >/dev/null
  kubectl get namespace capi-workloads >/dev/null 2>&1 || kubectl create namespace capi-workloads >/dev/null
  local pool md
  # created once and then left to the operator: re-applying would fight it for the fields it steers
  for pool in gpu-spot gpu-on-demand; do
    kubectl get nodepools.karpenter.sh "$pool" >/dev/null 2>&1 && continue
    kubectl apply --server-side --field-manager=platform-team -f - >/dev/null <<YAML
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: $pool
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
      requirements:
        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [p4d, g5]}
YAML
  done
  for md in inference-gpu-spot inference-gpu-on-demand; do
    kubectl get -n capi-workloads machinedeployments.cluster.x-k8s.io "$md" >/dev/null 2>&1 && continue
    kubectl apply --server-side --field-manager=platform-team -f - >/dev/null <<YAML
apiVersion: cluster.x-k8s.io/v1beta1
kind: MachineDeployment
metadata: {name: $md, namespace: capi-workloads}
spec:
  clusterName: gpu-cluster
  replicas: 1
  selector:
    matchLabels: {pool: $md}
  template:
    metadata:
      labels: {pool: $md}
    spec:
      clusterName: gpu-cluster
      version: v1.34.4
      bootstrap: {dataSecretName: gpu-bootstrap}
      infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: AWSMachineTemplate, name: $md}
YAML
  done
  log "applied Karpenter NodePools gpu-spot, gpu-on-demand and Cluster API MachineDeployments for the sample pools"
}

# A budget small enough to run out during the demo: the vision team's fine-tuning runs (4 A100s for two
# minutes, one every three minutes) may spend 0.50 in total. The first run exhausts it; 30 s later its Job
# is suspended (PHASE Enforced), and later runs are suspended on arrival. Raise the limit to see them back:
#   kubectl -n vision patch eb vit-finetune-cap --type merge -p '{"spec":{"limit":"100"}}'
apply_enforcement_showcase() {
  kubectl apply -n vision -f - >/dev/null <<'YAML'
apiVersion: finops.dev/v1alpha1
kind: ExperimentBudget
metadata:
  name: vit-finetune-cap
spec:
  team: vision
  project: vit-finetune
  selector:
    matchLabels:
      app.kubernetes.io/name: vit-finetune
  limit: "0.50"
  period: Total
  enforcement:
    action: Suspend
    gracePeriod: 30s
YAML
  log "applied ExperimentBudget vit-finetune-cap into namespace vision (runs out during the demo, then enforces)"
}

start_simulator() {
  local port="${GPU_FINOPS_SIM_METRICS_PORT:-9400}"
  if port_in_use "$port"; then
    die "port $port (the simulator's DCGM metrics, scraped by Prometheus) is busy; is another simulator or demo running?"
  fi
  : >"$DEMO_DIR/simulator.log"
  log "starting the GPU cluster simulator (java -jar gpu-finops-simulator.jar: DemoScenario; DCGM metrics on 127.0.0.1:$port)"
  java -Xmx512m -jar "$BUILD_COPY/simulator/gpu-finops-simulator.jar" --port "$port" \
    </dev/null >>"$DEMO_DIR/simulator.log" 2>&1 &
  SIM_PID=$!
  local rc=0
  wait_for 60 "$SIM_PID" curl -fsS --max-time 2 "http://127.0.0.1:$port/health" || rc=$?
  if ((rc)); then
    tail -n 30 "$DEMO_DIR/simulator.log" >&2 || true
    die "the simulator did not come up (see $DEMO_DIR/simulator.log)"
  fi
  # The first events (nodes, workloads) take a few seconds.
  wait_for 60 "$SIM_PID" grep -q ' workload applied ' "$DEMO_DIR/simulator.log" || true
}

# Outside a cluster there is no namespace of its own for a leader-election Lease, and one demo operator
# needs none: run it with profile "demo". (Leader election is active only for the profiles in the
# build-time property quarkus.operator-sdk.activate-leader-election-for-profiles, default prod, and
# quarkus-operator-sdk compares it with the profile active at run time; setting that property itself at
# run time only logs "build time property cannot be changed".)
start_operator() {
  if port_in_use "$OPERATOR_HTTP_PORT"; then
    die "port $OPERATOR_HTTP_PORT (the operator's HTTP port: health, metrics) is busy; set GPU_FINOPS_OPERATOR_HTTP_PORT"
  fi
  : >"$DEMO_DIR/operator.log"
  log "starting the operator (java -jar quarkus-run.jar from a copy of target/quarkus-app, profile demo, HTTP on 127.0.0.1:$OPERATOR_HTTP_PORT)"
  # a 10 s pass (30 s in production) so that SPENT and FORECAST visibly move between two screens
  QUARKUS_PROFILE=demo QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$OPERATOR_HTTP_PORT" \
    FINOPS_PASS_INTERVAL="${FINOPS_PASS_INTERVAL:-10s}" \
    FINOPS_PROMETHEUS_URL="${PROMETHEUS_URL:-}" FINOPS_PROMETHEUS_SCRAPE_INTERVAL=5s \
    java -jar "$BUILD_COPY/quarkus-app/quarkus-run.jar" </dev/null >>"$DEMO_DIR/operator.log" 2>&1 &
  OPERATOR_PID=$!
  local rc=0
  wait_for 90 "$OPERATOR_PID" operator_reconciled || rc=$?
  if ((rc)); then
    tail -n 40 "$DEMO_DIR/operator.log" >&2 || true
    ((rc == 2)) && die "the operator exited (see $DEMO_DIR/operator.log)"
    die "the operator did not reconcile the samples within 90s (see $DEMO_DIR/operator.log)"
  fi
  log "operator running (pid $OPERATOR_PID) and reconciling"
}

# True once the operator is ready (Quarkus health), has run a reconcile pass for every budget and pool
# (its finops_reconcile_passes_total counter: a status left by an earlier run does not count), and every
# one of them has a status for its current generation.
operator_reconciled() {
  curl -fsS --max-time 2 "http://127.0.0.1:$OPERATOR_HTTP_PORT/q/health/ready" >/dev/null || return 1
  local total passes current
  total="$(kubectl get eb,gp -A --no-headers 2>/dev/null | wc -l)"
  ((total > 0)) || return 1
  passes="$(curl -fsS --max-time 2 "http://127.0.0.1:$OPERATOR_HTTP_PORT/q/metrics" 2>/dev/null \
    | awk '/^finops_reconcile_passes_total[{ ]/ {sum += $NF; seen = 1} END {if (seen) printf "%d", sum; else print "none"}')"
  [[ "$passes" == none || "$passes" -ge "$total" ]] || return 1
  current="$(kubectl get eb,gp -A -o jsonpath='{range .items[*]}{.metadata.generation}={.status.observedGeneration}{"\n"}{end}' 2>/dev/null \
    | awk -F= '$1 != "" && $1 == $2' | wc -l)"
  ((current == total))
}

# "<kind>/<namespace>/<name> Ready=<status>" per budget and pool.
readiness() {
  kubectl get eb,gp -A -o jsonpath='{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name} Ready={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
}

show() {
  local elapsed="$1"
  if [[ -t 1 ]]; then printf '\033[H\033[2J'; fi
  printf 'gpu-finops demo, %ss%s: kubectl get eb,gp -A   (Ctrl-C stops the demo)\n\n' "$elapsed" \
    "${DURATION:+ of $DURATION}"
  kubectl get eb,gp -A 2>&1 || true
  printf '\nidle GPU work found from DCGM metrics in Prometheus:\n'
  kubectl get gpupools -o jsonpath='{range .items[*]}{.metadata.name}: {range .status.idleWorkloads[*]}{.namespace}/{.name} ({.gpus} GPUs, {.costPerHour}/h, {.action}) {end}{"\n"}{end}' 2>&1 || true
  printf '\nwhat the operator steers (Karpenter NodePools):\n'
  kubectl get nodepools.karpenter.sh -o custom-columns='NAME:.metadata.name,CAPACITY-TYPES:.spec.template.spec.requirements[?(@.key=="karpenter.sh/capacity-type")].values,WEIGHT:.spec.weight,GPU-LIMIT:.spec.limits.nvidia\.com/gpu' 2>&1 || true
  printf '\nsimulator (last events, full log: %s):\n' "$DEMO_DIR/simulator.log"
  grep -E '^[0-9]{4}-' "$DEMO_DIR/simulator.log" | tail -n 4 | cut -c1-160 || true
  [[ -t 1 ]] || echo
}

verify_ready() {
  local lines not_ready
  lines="$(readiness)"
  echo "$lines" >&2
  not_ready="$(grep -v ' Ready=True$' <<<"$lines" || true)"
  if [[ -n "$not_ready" ]]; then
    log "NOT Ready:"
    echo "$not_ready" >&2
    return 1
  fi
  log "all $(wc -l <<<"$lines") budgets and pools are Ready"
}

main() {
  check_java
  check_go
  check_prometheus
  build
  start_cluster
  install_resources
  start_simulator
  start_operator
  local start=$SECONDS
  while :; do
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      tail -n 20 "$DEMO_DIR/simulator.log" >&2 || true
      die "the simulator exited (see $DEMO_DIR/simulator.log)"
    fi
    if ! kill -0 "$OPERATOR_PID" 2>/dev/null; then
      tail -n 40 "$DEMO_DIR/operator.log" >&2 || true
      die "the operator exited (see $DEMO_DIR/operator.log)"
    fi
    show $((SECONDS - start))
    if [[ -n "$DURATION" ]] && ((SECONDS - start >= DURATION)); then
      log "ran for ${DURATION}s; checking every budget and pool is Ready"
      verify_ready
      return
    fi
    sleep "$REFRESH_SECONDS"
  done
}

main
