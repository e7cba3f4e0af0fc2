#!/usr/bin/env bash
# The operator at work on a simulated GPU cluster, in one command.
#
#   hack/demo.sh                     run 5 minutes: every capability below shows, then a check and a clean stop
#   hack/demo.sh --duration 120      run 120 s (says at start what may not show in that time)
#   hack/demo.sh --duration 0        run until Ctrl-C
#   hack/demo.sh --ml-report-only    leave the llm-pretrain-cap budget over a PyTorchJob and a Kueue Job
#                                    report-only (by default it suspends them and the demo checks the PyTorchJob
#                                    is suspended and restored; GPU_FINOPS_DEMO_ML_ENFORCE=0 too)
#
# What it does:
#   1. installs and builds what it needs, once (hack/lib: openssl/curl and Prometheus through apt-get as
#      root, else Prometheus from its Go module; the control plane from Go modules; the operator and the
#      simulator with ./mvnw; Maven and apt beside the Go builds), saying which step of how many it is on
#   2. starts the local control plane (hack/local-cluster.sh up) unless it is already up
#   3. installs the CRDs, the samples (deploy/samples) and a small budget that runs out, after removing
#      what an earlier demo left
#   4. starts the GPU cluster simulator (java -jar simulator/target/gpu-finops-simulator.jar: ten kwok GPU
#      nodes, GPU workloads, finishing Jobs, spot interruptions, DCGM metrics scraped by Prometheus; it also
#      plays the Kubeflow training operator and Kueue for a PyTorchJob and a Kueue-admitted Job, on their
#      real CRDs)
#   5. starts the operator (java -jar target/quarkus-app/quarkus-run.jar) against that cluster
#   6. shows `kubectl get eb,gp -A` every 5 seconds, and each capability as it happens: cost accruing,
#      spot steering, an alert, a rightsizing advice, an idle scale-down, a suspension and its restore
# Ctrl-C stops the simulator and the operator, and the local cluster only if this script started it.
# Logs: <state>/demo/{simulator,operator}.log, build steps in <state>/demo/steps/ (<state> =
# ${GPU_FINOPS_STATE:-~/.local/state/gpu-finops}); the build is copied to <state>/demo/build and run from
# there, so rebuilding meanwhile is harmless.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
HACK_DIR="$ROOT/hack"

log() { printf '[demo] %s\n' "$*" >&2; }
die() { printf '[demo] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=hack/lib/config.sh
source "$HACK_DIR/lib/config.sh"
# shellcheck source=hack/lib/steps.sh
source "$HACK_DIR/lib/steps.sh"
# shellcheck source=hack/lib/build.sh
source "$HACK_DIR/lib/build.sh"
# shellcheck source=hack/lib/install.sh
source "$HACK_DIR/lib/install.sh"

DEMO_DIR="$STATE_DIR/demo"
BUILD_COPY="$DEMO_DIR/build"
REFRESH_SECONDS=5
# Long enough for every capability below to show, with a margin (see CAP_BY).
DEFAULT_DURATION=300
DURATION="$DEFAULT_DURATION"

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
SAMPLE_POOLS=(training-gpus inference-gpus)
SHOWCASE_BUDGET=vit-finetune-cap
SHOWCASE_LIMIT="0.20"
RAISED_LIMIT="100"
# The budget over the ML platform workloads (dev.finops.sim.DemoMlWorkloads, in ml-research): a PyTorchJob
# (pods made by the simulated training operator) and a Job admitted by the simulated Kueue. It suspends them
# when it runs out, and the demo checks the PyTorchJob is suspended and, once it raises the limit, restored;
# --ml-report-only leaves it report-only.
ML_BUDGET=llm-pretrain-cap
ML_LIMIT="0.10"
ML_PYTORCHJOB=llm-pretrain
ML_ENFORCE="${GPU_FINOPS_DEMO_ML_ENFORCE:-1}"
# The ML projects' CRDs the simulator plays the controllers of, under the names their projects ship them.
ML_CRD_FILES=(kubeflow.org_pytorchjobs.yaml kueue.x-k8s.io_workloads.yaml)

usage() { sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --duration)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--duration needs a number of seconds (0: until Ctrl-C)"
      DURATION="$2"
      shift 2
      ;;
    --ml-report-only) ML_ENFORCE=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# the capabilities the demo shows, each detected from status or Events with kubectl
# ---------------------------------------------------------------------------------------------

CAPS=(cost steering alert rightsizing idle suspension restore)
[[ "$ML_ENFORCE" == 1 ]] && CAPS+=(mlsuspension mlrestore)
declare -A CAP_TITLE=(
  [mlsuspension]="a PyTorchJob suspended"
  [mlrestore]="the PyTorchJob restored"
  [cost]="cost accruing"
  [steering]="spot steering"
  [alert]="a budget alert"
  [rightsizing]="a rightsizing advice"
  [idle]="an idle scale-down"
  [suspension]="a suspension"
  [restore]="its restore"
)
# Seconds after the operator starts by which each one shows, with a margin, and what it waits for. Seen in
# five runs here (2 cores, loaded): cost 22-25 s, steering at the first screen, alert 84-96 s, advice
# 101-106 s, idle scale-down 119-135 s, suspension 150-164 s, restore 172-185 s.
declare -A CAP_BY=([cost]=45 [steering]=45 [alert]=120 [rightsizing]=150 [idle]=180 [suspension]=210 [restore]=250
  [mlsuspension]=210 [mlrestore]=250)
declare -A CAP_WHY=(
  [mlsuspension]="$ML_BUDGET running out, plus its 15 s grace period"
  [mlrestore]="the PyTorchJob's suspension, then the demo raising $ML_BUDGET's limit"
  [cost]="the first pass after the settle delay"
  [steering]="the first pass over the pools"
  [alert]="$SHOWCASE_BUDGET's fine-tuning Job spending half of its $SHOWCASE_LIMIT limit"
  [rightsizing]="enough DCGM samples for the 2-minute idle window"
  [idle]="the notebook staying idle for the whole 2-minute idle window"
  [suspension]="$SHOWCASE_BUDGET running out, plus its 15 s grace period"
  [restore]="the suspension, then the demo raising the limit"
)
declare -A CAP_SEEN_AT=() CAP_MSG=()
RESTORE_REQUESTED_AT=""
ML_RESTORE_REQUESTED_AT=""

# Says at start which capabilities a short --duration cannot show, instead of leaving them out silently.
warn_short_duration() {
  ((DURATION > 0)) || return 0
  local cap missing=()
  for cap in "${CAPS[@]}"; do
    ((CAP_BY[$cap] > DURATION)) && missing+=("$cap")
  done
  ((${#missing[@]})) || return 0
  log "with --duration $DURATION these may not show (the default $DEFAULT_DURATION s shows them all):"
  for cap in "${missing[@]}"; do
    log "  - ${CAP_TITLE[$cap]}: can take up to ~${CAP_BY[$cap]} s (it waits for ${CAP_WHY[$cap]})"
  done
}

DEMO_START_ISO=""

# Events with the given reason since the demo started, as "<kind>/<namespace>/<name>\t<message>".
events_since() {
  kubectl get events -A --field-selector "reason=$1" -o jsonpath='{range .items[*]}{.lastTimestamp}{.eventTime}{"\t"}{.involvedObject.kind}/{.involvedObject.namespace}/{.involvedObject.name}{"\t"}{.message}{"\n"}{end}' 2>/dev/null |
    awk -F'\t' -v since="$DEMO_START_ISO" '$1 >= since {print $2 "\t" $3}'
}

first_event() { events_since "$1" | grep -F "${2:-}" | head -n1 | tr '\t' ' ' | cut -c1-180; }

cap_cost() {
  kubectl get eb -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.spent}{"\n"}{end}' 2>/dev/null |
    awk '$2 + 0 > 0 {print $1 " has spent " $2 " (SPENT), counted from its pods\x27 own start times"; exit}'
}

cap_steering() {
  local types weights
  types="$(kubectl get nodepools.karpenter.sh gpu-spot gpu-on-demand -o jsonpath='{range .items[*]}{.spec.template.spec.requirements[?(@.key=="karpenter.sh/capacity-type")].values}{" "}{end}' 2>/dev/null)"
  weights="$(kubectl get nodepools.karpenter.sh gpu-spot gpu-on-demand -o jsonpath='{range .items[*]}{.spec.weight}{" "}{end}' 2>/dev/null)"
  [[ -n "${types// /}" ]] || return 0
  echo "training-gpus (SpotFirst) wrote capacity types [${types% }] and weights [${weights% }] into Karpenter NodePools gpu-spot, gpu-on-demand"
}

cap_alert() { first_event BudgetThresholdReached; }

cap_rightsizing() {
  kubectl get gpupools -o jsonpath='{range .items[*]}{range .status.recommendations[*]}{.namespace}/{.name}: {.requestedGpus} GPUs at {.usedPercent}% -> {.recommendedGpus} GPUs, saves {.savingsPerHour}/h{"\n"}{end}{end}' 2>/dev/null | head -n1
}

cap_idle() { first_event IdleScaledDown; }
cap_suspension() { first_event Suspended "ExperimentBudget/vision/$SHOWCASE_BUDGET"; }
cap_restore() { [[ -n "$RESTORE_REQUESTED_AT" ]] && first_event Restored "ExperimentBudget/vision/$SHOWCASE_BUDGET"; return 0; }

# The PyTorchJob's live pods, Running ones only, as the simulated training operator made them.
ml_running_pods() {
  kubectl -n ml-research get pods -l "training.kubeflow.org/job-name=$ML_PYTORCHJOB" \
    -o jsonpath='{range .items[?(@.status.phase=="Running")]}{.metadata.name}{" "}{end}' 2>/dev/null
}

cap_mlsuspension() {
  [[ "$(kubectl -n ml-research get pytorchjobs.kubeflow.org "$ML_PYTORCHJOB" -o jsonpath='{.spec.runPolicy.suspend}' 2>/dev/null)" == true ]] || return 0
  [[ -z "$(ml_running_pods)" ]] || return 0
  echo "$ML_BUDGET set spec.runPolicy.suspend=true on PyTorchJob ml-research/$ML_PYTORCHJOB; the training operator deleted its pods"
}

cap_mlrestore() {
  [[ -n "$ML_RESTORE_REQUESTED_AT" ]] || return 0
  [[ "$(kubectl -n ml-research get pytorchjobs.kubeflow.org "$ML_PYTORCHJOB" -o jsonpath='{.spec.runPolicy.suspend}' 2>/dev/null)" != true ]] || return 0
  local pods
  pods="$(ml_running_pods)"
  [[ "$(wc -w <<<"$pods")" -eq 2 ]] || return 0
  echo "PyTorchJob ml-research/$ML_PYTORCHJOB resumed: its pods ${pods% } run again"
}

# Checks the capabilities not seen yet; logs each one the moment it shows.
track_capabilities() {
  local elapsed="$1" cap msg
  for cap in "${CAPS[@]}"; do
    [[ -n "${CAP_SEEN_AT[$cap]:-}" ]] && continue
    msg="$("cap_$cap" || true)"
    [[ -n "$msg" ]] || continue
    CAP_SEEN_AT[$cap]="$elapsed"
    CAP_MSG[$cap]="$msg"
    log "shown after $(human_seconds "$elapsed"): ${CAP_TITLE[$cap]}: $msg"
  done
  # The restore needs a cause to go away: 15 s after the suspension (time to see PHASE Enforced), the demo
  # raises the limit, as a person would.
  if [[ -n "${CAP_SEEN_AT[suspension]:-}" && -z "$RESTORE_REQUESTED_AT" ]] && ((elapsed >= CAP_SEEN_AT[suspension] + 15)); then
    kubectl -n vision patch eb "$SHOWCASE_BUDGET" --type merge -p "{\"spec\":{\"limit\":\"$RAISED_LIMIT\"}}" >/dev/null
    RESTORE_REQUESTED_AT="$elapsed"
    log "raised the limit of vision/$SHOWCASE_BUDGET to $RAISED_LIMIT (kubectl -n vision patch eb $SHOWCASE_BUDGET --type merge -p '{\"spec\":{\"limit\":\"$RAISED_LIMIT\"}}'): the operator restores what it suspended"
  fi
  if [[ -n "${CAP_SEEN_AT[mlsuspension]:-}" && -z "$ML_RESTORE_REQUESTED_AT" ]] && ((elapsed >= CAP_SEEN_AT[mlsuspension] + 15)); then
    kubectl -n ml-research patch eb "$ML_BUDGET" --type merge -p "{\"spec\":{\"limit\":\"$RAISED_LIMIT\"}}" >/dev/null
    ML_RESTORE_REQUESTED_AT="$elapsed"
    log "raised the limit of ml-research/$ML_BUDGET to $RAISED_LIMIT: the operator restores the PyTorchJob and the Kueue Workload"
  fi
}

print_capabilities() {
  local cap
  for cap in "${CAPS[@]}"; do
    if [[ -n "${CAP_SEEN_AT[$cap]:-}" ]]; then
      printf '  [x] %-22s %6s  %s\n' "${CAP_TITLE[$cap]}" "$(human_seconds "${CAP_SEEN_AT[$cap]}")" "${CAP_MSG[$cap]}"
    elif ((DURATION > 0 && CAP_BY[$cap] > DURATION)); then
      printf '  [-] %-22s %6s  may not fit in a %s s run (it waits for %s)\n' "${CAP_TITLE[$cap]}" "" "$DURATION" "${CAP_WHY[$cap]}"
    else
      printf '  [ ] %-22s %6s  by ~%s (it waits for %s)\n' "${CAP_TITLE[$cap]}" "" "$(human_seconds "${CAP_BY[$cap]}")" "${CAP_WHY[$cap]}"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# prerequisites, checked before anything is built or started
# ---------------------------------------------------------------------------------------------

check_java() {
  local major
  major="$(java_major)"
  [[ -n "$major" ]] || die "Java is not installed; need Java >= $JAVA_MIN_MAJOR (e.g. apt-get install openjdk-17-jdk-headless)"
  ((major >= JAVA_MIN_MAJOR)) || die "Java $major is too old; need Java >= $JAVA_MIN_MAJOR (e.g. apt-get install openjdk-17-jdk-headless)"
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
  steps_abort
  stop_pid operator "$OPERATOR_PID"
  stop_pid simulator "$SIM_PID"
  if ((CLUSTER_STARTED_HERE)); then
    log "stopping the local cluster this demo started"
    hack/local-cluster.sh down >&2 || true
  elif [[ -n "${KUBECONFIG:-}" ]]; then
    log "the local cluster was already running before the demo, so it is left running" \
      "(hack/local-cluster.sh down stops it; the demo's nodes and namespaces stay until the next demo removes them)"
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
# the build: one plan of numbered steps (lib/steps.sh), Maven beside the Go builds
# ---------------------------------------------------------------------------------------------

# Measured here on 2 cores with an empty Maven repository (downloads included), beside the Go builds.
USUAL_SECONDS_OPERATOR=80
USUAL_SECONDS_SIMULATOR=35
USUAL_SECONDS_PROVIDER_CRDS=5

# A build output is stale when a file it is built from is newer (or it is missing).
stale() {
  local output="$1"
  shift
  [[ -f "$output" ]] || return 0
  [[ -n "$(find "$@" -newer "$output" -type f -print -quit 2>/dev/null)" ]]
}

operator_stale() { stale target/quarkus-app/quarkus-run.jar pom.xml src/main; }
simulator_stale() { stale simulator/target/gpu-finops-simulator.jar simulator/pom.xml simulator/src/main; }

# -ntp: the log shows what Maven does, not a line per downloaded kilobyte.
step_operator() { ./mvnw -B -ntp package -DskipTests; }
step_simulator() { ./mvnw -B -ntp -f simulator/pom.xml package -DskipTests; }
step_provider_crds() {
  hack/fetch-provider-crds.sh "$DEMO_DIR/provider-crds"
  fetch_ml_crds_if_missing "$DEMO_DIR/provider-crds"
}

# The Kubeflow and Kueue CRDs the simulator needs: hack/fetch-workload-crds.sh collects them (with the other
# ML kinds' CRDs) where it exists; until then the demo copies the two it needs from the same pinned Go
# modules. Never committed.
fetch_ml_crds_if_missing() {
  local out="$1" dir
  if [[ -x hack/fetch-workload-crds.sh ]]; then
    hack/fetch-workload-crds.sh "$out" >/dev/null
    return
  fi
  [[ -f "$out/kubeflow.org_pytorchjobs.yaml" ]] || {
    dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json github.com/kubeflow/training-operator@v1.8.1 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
    install -m 0644 "$dir/manifests/base/crds/kubeflow.org_pytorchjobs.yaml" "$out/"
  }
  [[ -f "$out/kueue.x-k8s.io_workloads.yaml" ]] || {
    dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json sigs.k8s.io/kueue@v0.17.0 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
    install -m 0644 "$dir/config/components/crd/bases/kueue.x-k8s.io_workloads.yaml" "$out/"
  }
}

provider_crds_fetched() {
  local f
  for f in karpenter.sh_nodepools.yaml "${ML_CRD_FILES[@]}"; do
    [[ -f "$DEMO_DIR/provider-crds/$f" ]] || return 1
  done
}

build() {
  mkdir -p "$DEMO_DIR"
  lock_cache
  remove_stale_temps
  steps_reset "$DEMO_DIR/steps"
  plan_build_steps demo
  operator_stale && step_add operator mvn "$USUAL_SECONDS_OPERATOR" "the operator (./mvnw package)" step_operator
  simulator_stale && step_add simulator mvn "$USUAL_SECONDS_SIMULATOR" "the simulator (./mvnw -f simulator/pom.xml package)" step_simulator
  provider_crds_fetched ||
    step_add provider-crds sys "$USUAL_SECONDS_PROVIDER_CRDS" "Karpenter, Cluster API, Kubeflow and Kueue CRDs (from their Go modules)" step_provider_crds
  if (($(steps_count))); then
    check_build_prerequisites
    log "$(steps_phrase) to build, usually ~$(human_seconds "$(steps_usual_total)") here in all; the Go builds and the first Maven build happen once (logs: $DEMO_DIR/steps/)"
    steps_run
  else
    log "nothing to build: everything is cached"
  fi
  all_cached demo || die "the build finished, but something is still missing (hack/doctor.sh tells what)"
  unlock_cache
  # Run from a copy, so that rebuilding (mvn package, mvn test) while the demo runs cannot pull classes
  # or jars from under the running operator and simulator.
  rm -rf "$BUILD_COPY"
  mkdir -p "$BUILD_COPY/simulator"
  cp -r target/quarkus-app "$BUILD_COPY/"
  cp -r simulator/target/gpu-finops-simulator.jar simulator/target/lib "$BUILD_COPY/simulator/"
  [[ -f "$BUILD_COPY/quarkus-app/quarkus-run.jar" ]] || die "target/quarkus-app/quarkus-run.jar missing after the build"
}

# ---------------------------------------------------------------------------------------------
# the cluster and what the demo puts in it
# ---------------------------------------------------------------------------------------------

start_cluster() {
  if hack/local-cluster.sh status >/dev/null 2>&1; then
    log "local cluster already up; using it"
  else
    log "starting the local cluster (hack/local-cluster.sh up)"
    CLUSTER_STARTED_HERE=1
    hack/local-cluster.sh up >/dev/null || die "hack/local-cluster.sh up failed (see above)"
  fi
  eval "$(hack/local-cluster.sh env)"
  export KUBECONFIG
  command -v kubectl >/dev/null || die "kubectl not found after 'hack/local-cluster.sh env'"
}

# What an earlier demo left in the cluster (the state survives `down`): its budgets would carry their
# spend and fired alerts over, its workloads their restore records, so nothing would happen again. The
# budgets' and pools' finalizers wait for an operator that is not running yet, so they are taken off
# first. The workloads go, their pods at once (kwok nodes run nothing to stop); the namespaces stay,
# since deleting and re-creating them took ~45 s here.
remove_earlier_demo() {
  local ns found=0
  for ns in "${DEMO_NAMESPACES[@]}"; do
    [[ -n "$(kubectl get eb,deploy,job,cronjob -n "$ns" -o name 2>/dev/null)" ]] && found=1
  done
  [[ -n "$(kubectl get gpupools "${SAMPLE_POOLS[@]}" --ignore-not-found -o name 2>/dev/null)" ]] && found=1
  ((found)) || return 0
  log "removing what an earlier demo left (its budgets, pools, workloads and node-pool objects)"
  local obj
  for ns in "${DEMO_NAMESPACES[@]}"; do
    for obj in $(kubectl get eb -n "$ns" -o name 2>/dev/null); do
      kubectl patch -n "$ns" "$obj" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
    done
    kubectl delete -n "$ns" eb --all --ignore-not-found >/dev/null
    kubectl delete -n "$ns" deployments,statefulsets,replicasets,jobs,cronjobs --all --cascade=background \
      --ignore-not-found --wait=false >/dev/null
    kubectl delete -n "$ns" pytorchjobs.kubeflow.org,workloads.kueue.x-k8s.io --all --cascade=background \
      --ignore-not-found --wait=false >/dev/null 2>&1 || true
    kubectl delete -n "$ns" pods --all --grace-period=0 --force --ignore-not-found >/dev/null 2>&1 || true
  done
  for obj in "${SAMPLE_POOLS[@]}"; do
    kubectl patch gpupool "$obj" --type merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
  done
  kubectl delete gpupools "${SAMPLE_POOLS[@]}" --ignore-not-found >/dev/null
  kubectl delete nodepools.karpenter.sh gpu-spot gpu-on-demand --ignore-not-found >/dev/null 2>&1 || true
  kubectl delete -n capi-workloads machinedeployments.cluster.x-k8s.io inference-gpu-spot inference-gpu-on-demand \
    --ignore-not-found >/dev/null 2>&1 || true
}

# metadata.name of the first document of a sample file (samples have one object each).
sample_name() { awk '/^metadata:/ {m=1; next} m && /^  name:/ {print $2; exit}' "$1"; }
sample_kind() { awk '/^kind:/ {print $2; exit}' "$1"; }

install_resources() {
  log "installing the CRDs (crds/)"
  kubectl apply -f crds/ >/dev/null
  kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
  apply_capacity_provider_crds
  remove_earlier_demo
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
  apply_ml_budget
  apply_capacity_providers
  # idle detection needs a full window of evidence: 2 minutes instead of the sample's 30, so the idle
  # notebook (ml-research/jupyter-alice, 1% busy) is found and scaled down, and the oversized trainer
  # (recsys/ranking-trainer, 4 A100s at 30%) gets its rightsizing advice, while you watch
  kubectl patch gpupool training-gpus --type merge -p '{"spec":{"idle":{"window":"2m"}}}' >/dev/null
}

# The node-pool APIs the sample GpuPools steer: the real Karpenter NodePool and Cluster API MachineDeployment
# CRDs (from their Go modules, hack/fetch-provider-crds.sh, fetched by the build). Nothing runs behind them
# here (no Karpenter, no Cluster API controllers): the demo shows what the operator writes.
apply_capacity_provider_crds() {
  kubectl apply --server-side -f "$DEMO_DIR/provider-crds" >/dev/null
  kubectl wait --for=condition=Established crd/nodepools.karpenter.sh crd/machinedeployments.cluster.x-k8s.io \
    crd/pytorchjobs.kubeflow.org crd/workloads.kueue.x-k8s.io --timeout=60s >/dev/null
}

apply_capacity_providers() {
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
    # v1beta1, as the sample's scaleTargets name it; kubectl's deprecation warning for it is filtered out
    kubectl apply --server-side --field-manager=platform-team -f - 2>&1 >/dev/null <<YAML | grep -v 'is deprecated' >&2 || true
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
  kubectl get -n capi-workloads machinedeployments.cluster.x-k8s.io inference-gpu-spot inference-gpu-on-demand >/dev/null ||
    die "the Cluster API MachineDeployments could not be created (see above)"
  log "applied Karpenter NodePools gpu-spot, gpu-on-demand and Cluster API MachineDeployments for the sample pools"
}

# A budget small enough to run out during the demo: the vision team's fine-tuning runs (4 spot A100s for four
# minutes, one every three minutes, about 0.12 a minute) may spend 0.20 in total. The first run reaches
# half of it (alert) after ~50 s and all of it after ~100 s; 15 s later its Job is suspended (PHASE
# Enforced). The demo then raises the limit, as you could:
#   kubectl -n vision patch eb vit-finetune-cap --type merge -p '{"spec":{"limit":"100"}}'
apply_enforcement_showcase() {
  kubectl apply -n vision -f - >/dev/null <<YAML
apiVersion: finops.dev/v1alpha1
kind: ExperimentBudget
metadata:
  name: $SHOWCASE_BUDGET
spec:
  team: vision
  project: vit-finetune
  selector:
    matchLabels:
      app.kubernetes.io/name: vit-finetune
  limit: "$SHOWCASE_LIMIT"
  period: Total
  enforcement:
    action: Suspend
    gracePeriod: 15s
YAML
  log "applied ExperimentBudget $SHOWCASE_BUDGET into namespace vision (limit $SHOWCASE_LIMIT: runs out during the demo, then enforces)"
}

# The budget over the PyTorchJob and the Kueue-admitted Job (app.kubernetes.io/part-of: llm-pretrain): about
# 0.05 a minute on the on-demand g5.12xlarge, so 0.10 runs out after ~2 minutes. Report-only unless
# Suspend with a 15 s grace, unless --ml-report-only.
apply_ml_budget() {
  local action=None
  [[ "$ML_ENFORCE" == 1 ]] && action=Suspend
  kubectl apply -n ml-research -f - >/dev/null <<YAML
apiVersion: finops.dev/v1alpha1
kind: ExperimentBudget
metadata:
  name: $ML_BUDGET
spec:
  team: nlp
  project: llm-pretrain
  selector:
    matchLabels:
      app.kubernetes.io/part-of: llm-pretrain
  limit: "$ML_LIMIT"
  period: Total
  enforcement:
    action: $action
    gracePeriod: 15s
YAML
  log "applied ExperimentBudget $ML_BUDGET into namespace ml-research (a PyTorchJob and a Kueue-admitted Job; enforcement $action$([[ "$ML_ENFORCE" == 1 ]] || echo ' (--ml-report-only)'))"
}

start_simulator() {
  local port="$SIM_METRICS_PORT"
  if port_in_use "$port"; then
    die "port $port (the simulator's DCGM metrics, scraped by Prometheus) is busy; is another simulator or demo running? (GPU_FINOPS_SIM_METRICS_PORT)"
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

# ---------------------------------------------------------------------------------------------
# the screen
# ---------------------------------------------------------------------------------------------

# "<kind>/<namespace>/<name> Ready=<status>" per budget and pool.
readiness() {
  kubectl get eb,gp -A -o jsonpath='{range .items[*]}{.kind}/{.metadata.namespace}/{.metadata.name} Ready={.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
}

show() {
  local elapsed="$1"
  if [[ -t 1 ]]; then printf '\033[H\033[2J'; fi
  printf 'gpu-finops demo, %s%s: kubectl get eb,gp -A   (Ctrl-C stops the demo)\n\n' "$(human_seconds "$elapsed")" \
    "$( ((DURATION > 0)) && echo " of $(human_seconds "$DURATION")")"
  kubectl get eb,gp -A 2>&1 || true
  printf '\nwhat the demo has shown so far:\n'
  print_capabilities
  printf '\nidle GPU work found from DCGM metrics in Prometheus:\n'
  kubectl get gpupools -o jsonpath='{range .items[*]}{.metadata.name}: {range .status.idleWorkloads[*]}{.namespace}/{.name} ({.gpus} GPUs, {.costPerHour}/h, {.action}) {end}{"\n"}{end}' 2>&1 || true
  printf '\nwhat the operator steers (Karpenter NodePools):\n'
  kubectl get nodepools.karpenter.sh -o custom-columns='NAME:.metadata.name,CAPACITY-TYPES:.spec.template.spec.requirements[?(@.key=="karpenter.sh/capacity-type")].values,WEIGHT:.spec.weight,GPU-LIMIT:.spec.limits.nvidia\.com/gpu' 2>&1 || true
  printf '\nML platform workloads (the simulator plays the training operator and Kueue):\n'
  kubectl -n ml-research get pytorchjobs.kubeflow.org,workloads.kueue.x-k8s.io -o custom-columns='KIND:.kind,NAME:.metadata.name,SUSPEND:.spec.runPolicy.suspend,ACTIVE:.spec.active,STATUS:.status.conditions[-1:].type' 2>&1 || true
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

# At the end of a timed run: every capability the duration had room for must have shown.
verify_capabilities() {
  local cap absent=0
  print_capabilities >&2
  for cap in "${CAPS[@]}"; do
    if [[ -z "${CAP_SEEN_AT[$cap]:-}" ]] && ((CAP_BY[$cap] <= DURATION)); then
      log "${CAP_TITLE[$cap]} did not show within ${DURATION}s (it waits for ${CAP_WHY[$cap]}; see $DEMO_DIR/operator.log)"
      absent=1
    fi
  done
  ((absent == 0)) && log "every capability a ${DURATION}s run has room for showed"
  return "$absent"
}

main() {
  local demo_start=$SECONDS
  warn_short_duration
  check_java
  build
  start_cluster
  DEMO_START_ISO="$(date -u +%FT%TZ)"
  install_resources
  start_simulator
  start_operator
  log "ready $(human_seconds $((SECONDS - demo_start))) after the start of hack/demo.sh"
  local start=$SECONDS elapsed rc=0
  while :; do
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      tail -n 20 "$DEMO_DIR/simulator.log" >&2 || true
      die "the simulator exited (see $DEMO_DIR/simulator.log)"
    fi
    if ! kill -0 "$OPERATOR_PID" 2>/dev/null; then
      tail -n 40 "$DEMO_DIR/operator.log" >&2 || true
      die "the operator exited (see $DEMO_DIR/operator.log)"
    fi
    elapsed=$((SECONDS - start))
    track_capabilities "$elapsed"
    show "$elapsed"
    if ((DURATION > 0 && elapsed >= DURATION)); then
      log "ran for $(human_seconds "$DURATION"); checking every budget and pool is Ready and every capability showed"
      verify_ready || rc=1
      verify_capabilities || rc=1
      return "$rc"
    fi
    sleep "$REFRESH_SECONDS"
  done
}

main; exit
