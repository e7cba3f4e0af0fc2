# shellcheck shell=bash
# Run half of hack/local-cluster.sh: starts, checks and stops the local control plane.
# Sourced by local-cluster.sh after lib/build.sh.

PKI_DIR="$STATE_DIR/pki"
KUBECONFIG_DIR="$STATE_DIR/kubeconfigs"
PID_DIR="$STATE_DIR/pids"
LOG_DIR="$STATE_DIR/logs"
ADMIN_KUBECONFIG="$STATE_DIR/kubeconfig"
PORTS_FILE="$STATE_DIR/ports.env"
CLUSTER_NAME="gpu-finops-local"
SERVICE_CIDR="10.96.0.0/16"
# First address of SERVICE_CIDR: the in-cluster `kubernetes` Service IP, put in the serving cert.
SERVICE_APISERVER_IP="10.96.0.1"
# Start order; `down` walks it backwards. containerd and the kubelet run only with `up --real-node`.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok prometheus containerd kubelet)
# 1 once `up --real-node` ran (kept in ports.env): the API server then listens on every address, the node's too.
REAL_NODE="${REAL_NODE:-0}"

# ---------------------------------------------------------------------------------------------
# ports and small helpers
# ---------------------------------------------------------------------------------------------

# Once `up` has run, the ports it used are authoritative for status/env/down, even if the
# caller's environment changed since.
load_ports() {
  if [[ -f "$PORTS_FILE" ]]; then
    # shellcheck source=/dev/null
    source "$PORTS_FILE"
  fi
}

save_ports() {
  cat >"$PORTS_FILE" <<EOF
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
KCM_PORT=$KCM_PORT
SCHEDULER_PORT=$SCHEDULER_PORT
KWOK_PORT=$KWOK_PORT
PROMETHEUS_PORT=$PROMETHEUS_PORT
PROMETHEUS_MODE=$PROMETHEUS_MODE
SIM_METRICS_PORT=$SIM_METRICS_PORT
REAL_NODE=$REAL_NODE
KUBELET_PORT=$KUBELET_PORT
KUBELET_HEALTHZ_PORT=$KUBELET_HEALTHZ_PORT
EOF
}

component_port() {
  case "$1" in
    etcd) echo "$ETCD_PORT" ;;
    kube-apiserver) echo "$APISERVER_PORT" ;;
    kube-controller-manager) echo "$KCM_PORT" ;;
    kube-scheduler) echo "$SCHEDULER_PORT" ;;
    kwok) echo "$KWOK_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    kubelet) echo "$KUBELET_PORT" ;;
    containerd) echo - ;;
  esac
}

component_bin() {
  case "$1" in
    etcd) bin_etcd ;;
    kube-apiserver) bin_apiserver ;;
    kube-controller-manager) bin_kcm ;;
    kube-scheduler) bin_scheduler ;;
    kwok) bin_kwok ;;
    # before the first `build` links it (a cluster started by an older version of this script): PATH's
    prometheus) if [[ -e "$(prometheus_bin)" ]]; then prometheus_bin; else command -v prometheus || prometheus_bin; fi ;;
    containerd) bin_containerd ;;
    kubelet) bin_kubelet ;;
  esac
}

# True if something accepts TCP connections on 127.0.0.1:$1 (also catches 0.0.0.0 listeners).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Who holds a port, for the error message; best effort.
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n1
  fi
}

require_free_port() {
  local what="$1" port="$2" var="$3" owner
  if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "$var='$port' is not a TCP port number"
  fi
  if port_in_use "$port"; then
    owner="$(port_owner "$port")"
    die "port $port for $what is already in use${owner:+ by $owner}; stop that process or set $var to a free port"
  fi
}

# Prometheus defaults to 9090 but falls back to 19090 when 9090 is busy (often Debian's own
# prometheus.service, which apt starts on install) unless the port was asked for explicitly.
choose_prometheus_port() {
  [[ "$PROMETHEUS_MODE" == off ]] && return 0
  if [[ -z "${GPU_FINOPS_PROMETHEUS_PORT:-}" ]] && port_in_use "$PROMETHEUS_PORT"; then
    local owner
    owner="$(port_owner "$PROMETHEUS_PORT")"
    log "port $PROMETHEUS_PORT is busy${owner:+ ($owner)}; Prometheus will use 19090 instead" \
      "(if that is Debian's prometheus.service: systemctl disable --now prometheus)"
    PROMETHEUS_PORT=19090
  fi
}

# ---------------------------------------------------------------------------------------------
# process bookkeeping: <state>/pids/<component>.pid, checked against /proc/<pid>/exe
# ---------------------------------------------------------------------------------------------

pid_file() { echo "$PID_DIR/$1.pid"; }

# PID of a running component we started, or nothing. A PID only counts if the process still runs
# the binary we started: after a reboot the number may belong to something else entirely.
component_pid() {
  local name="$1" file pid exe want
  file="$(pid_file "$name")"
  [[ -f "$file" ]] || return 0
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 0
  exe="${exe% (deleted)}" # the binary was replaced by a rebuild while running: still ours
  want="$(readlink -f "$(component_bin "$name")" 2>/dev/null || true)"
  [[ "$exe" == "$want" ]] && echo "$pid"
  return 0
}

# Starts a component in its own session (so a closed terminal or Ctrl-C does not take it down),
# logging to <state>/logs/<name>.log, and records its PID.
start_process() {
  local name="$1"
  shift
  local logfile="$LOG_DIR/$name.log"
  mkdir -p "$PID_DIR" "$LOG_DIR"
  printf '\n===== %s starting %s =====\n' "$(date -u +%FT%TZ)" "$name" >>"$logfile"
  # setsid execs in place (a background job of a script is no group leader), so $! is the PID.
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo "$!" >"$(pid_file "$name")"
}

log_tail() {
  local name="$1"
  log "last lines of $LOG_DIR/$name.log:"
  tail -n 30 "$LOG_DIR/$name.log" >&2 || true
}

# Polls a health command until it succeeds; on timeout or process death shows the log tail.
wait_healthy() {
  local name="$1" deadline=$((SECONDS + READY_TIMEOUT))
  shift
  until "$@" >/dev/null 2>&1; do
    # alive by its PID, not component_pid: right after the start /proc/<pid>/exe may still be setsid's
    # (it has not exec'd the binary yet), which on a loaded machine lasts long enough to be seen
    if ! kill -0 "$(<"$(pid_file "$name")")" 2>/dev/null; then
      log_tail "$name"
      die "$name exited during startup (see $LOG_DIR/$name.log); 'hack/local-cluster.sh down' stops the rest"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$name"
      die "$name not healthy after ${READY_TIMEOUT}s (GPU_FINOPS_READY_TIMEOUT); 'hack/local-cluster.sh down' stops the rest"
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------
# health checks
# ---------------------------------------------------------------------------------------------

curl_admin() {
  curl -fsS --max-time 5 --cacert "$PKI_DIR/ca.crt" --cert "$PKI_DIR/admin.crt" --key "$PKI_DIR/admin.key" "$@"
}

health_etcd() { curl -fsS --max-time 5 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
health_kube-apiserver() { curl_admin "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -qx ok; }
# Their serving certs are self-signed in memory; /healthz is open to anyone, so -k is harmless.
health_kube-controller-manager() { curl -kfsS --max-time 5 "https://127.0.0.1:$KCM_PORT/healthz" | grep -qx ok; }
health_kube-scheduler() { curl -kfsS --max-time 5 "https://127.0.0.1:$SCHEDULER_PORT/readyz" | grep -qx ok; }
health_kwok() { curl -fsS --max-time 5 "http://127.0.0.1:$KWOK_PORT/healthz" >/dev/null; }
health_prometheus() { curl -fsS --max-time 5 "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null; }

component_enabled() {
  case "$1" in
    prometheus) [[ "$PROMETHEUS_MODE" != off ]] ;;
    containerd | kubelet) [[ "$REAL_NODE" == 1 ]] ;;
    *) return 0 ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# PKI and kubeconfigs (generated once per state dir, reused by later `up`s)
# ---------------------------------------------------------------------------------------------

# $1=name of a self-signed CA (<name>.crt/.key), created once.
issue_ca() {
  local name="$1"
  [[ -f "$PKI_DIR/$name.crt" && -f "$PKI_DIR/$name.key" ]] && return 0
  openssl genrsa -out "$PKI_DIR/$name.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$PKI_DIR/$name.key" -subj "/CN=$CLUSTER_NAME-$name" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "$PKI_DIR/$name.crt" 2>/dev/null
}

# $1=name $2=subject $3=extensions file body [$4=CA name, default ca]; writes <name>.crt/.key.
issue_cert() {
  local name="$1" subject="$2" ext="$3" ca="${4:-ca}"
  [[ -f "$PKI_DIR/$name.crt" && -f "$PKI_DIR/$name.key" ]] && return 0
  openssl genrsa -out "$PKI_DIR/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI_DIR/$name.key" -subj "$subject" -out "$PKI_DIR/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$PKI_DIR/$name.ext"
  openssl x509 -req -in "$PKI_DIR/$name.csr" -CA "$PKI_DIR/$ca.crt" -CAkey "$PKI_DIR/$ca.key" \
    -CAcreateserial -days 3650 -sha256 -extfile "$PKI_DIR/$name.ext" -out "$PKI_DIR/$name.crt" 2>/dev/null
  rm -f "$PKI_DIR/$name.csr" "$PKI_DIR/$name.ext"
}

# With a real node its pods reach the API server at the node's address, which the serving cert must then name.
apiserver_extra_san() {
  [[ "$REAL_NODE" == 1 ]] && echo ",IP:$(node_ip)"
  return 0
}

ensure_pki() {
  command -v openssl >/dev/null 2>&1 || die "openssl is required (apt-get install openssl)"
  mkdir -p "$PKI_DIR"
  chmod 700 "$PKI_DIR"
  # A cert from before `up --real-node` lacks the node's address: issue it again.
  if [[ "$REAL_NODE" == 1 && -f "$PKI_DIR/apiserver.crt" ]] &&
    ! openssl x509 -in "$PKI_DIR/apiserver.crt" -noout -ext subjectAltName 2>/dev/null | grep -q "IP Address:$(node_ip)\b"; then
    rm -f "$PKI_DIR/apiserver.crt" "$PKI_DIR/apiserver.key"
  fi
  [[ -f "$PKI_DIR/ca.crt" ]] || log "generating local CA and certificates in $PKI_DIR"
  issue_ca ca
  # Separate CA for the aggregation layer (request-header auth), as kubeadm does: without it the
  # controller-manager and scheduler log "missing content for CA bundle" forever, and aggregated
  # APIs (e.g. metrics-server) could not be served.
  issue_ca front-proxy-ca
  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  issue_cert apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:$SERVICE_APISERVER_IP$(apiserver_extra_san),DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # RBAC bootstrap policy already binds these user names to the roles each component needs.
  issue_cert admin "/O=system:masters/CN=kubernetes-admin" "$client"
  issue_cert kube-controller-manager "/CN=system:kube-controller-manager" "$client"
  issue_cert kube-scheduler "/CN=system:kube-scheduler" "$client"
  # kwok plays the kubelet of every fake node (node status, leases, pod status, deletes) and
  # has no bootstrap role; it gets cluster-admin through system:masters.
  issue_cert kwok "/O=system:masters/CN=kwok-controller" "$client"
  issue_cert front-proxy-client "/CN=front-proxy-client" "$client" front-proxy-ca
  # The API server's identity toward kubelets (logs, exec); kwok's nodes ignore it.
  issue_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client"
  if [[ ! -f "$PKI_DIR/sa.key" ]]; then
    openssl genrsa -out "$PKI_DIR/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
  fi
  chmod 600 "$PKI_DIR"/*.key
}

# $1=output file $2=cert name in PKI_DIR. Certificates are embedded so the file stands alone.
write_kubeconfig() {
  local out="$1" user="$2" kubectl
  kubectl="$(bin_kubectl)"
  rm -f "$out"
  "$kubectl" config --kubeconfig="$out" set-cluster "$CLUSTER_NAME" \
    --server="https://127.0.0.1:$APISERVER_PORT" --certificate-authority="$PKI_DIR/ca.crt" --embed-certs=true >/dev/null
  "$kubectl" config --kubeconfig="$out" set-credentials "$user" \
    --client-certificate="$PKI_DIR/$user.crt" --client-key="$PKI_DIR/$user.key" --embed-certs=true >/dev/null
  "$kubectl" config --kubeconfig="$out" set-context "$CLUSTER_NAME" --cluster="$CLUSTER_NAME" --user="$user" >/dev/null
  "$kubectl" config --kubeconfig="$out" use-context "$CLUSTER_NAME" >/dev/null
  chmod 600 "$out"
}

# Rewritten on every `up` because the API server port may differ from the last run.
ensure_kubeconfigs() {
  mkdir -p "$KUBECONFIG_DIR"
  write_kubeconfig "$ADMIN_KUBECONFIG" admin
  local c
  for c in kube-controller-manager kube-scheduler kwok; do
    write_kubeconfig "$KUBECONFIG_DIR/$c.kubeconfig" "$c"
  done
}

# ---------------------------------------------------------------------------------------------
# generated configs: kwok stages and prometheus
# ---------------------------------------------------------------------------------------------

# kwok's stages are taken from the kwok module itself (copied next to the binary by `build`):
#  - node/fast node-initialize: a fake node becomes Ready with its declared capacity;
#  - node/heartbeat-with-lease: keeps it Ready (renews its Lease) so it is never evicted;
#  - pod/general: create -> init -> Ready/Running (sets status.startTime) -> for pods owned by a
#    Job, Succeeded with containers terminated (finishedAt) -> delete. Each step waits 1s plus up
#    to 5s jitter; the pod annotation pod-complete.stage.kwok.x-k8s.io/delay (e.g. "10m") sets how
#    long a Job's pod "runs", which is what makes GPU time (and cost) accrue realistically.
write_kwok_config() {
  local stages="$KWOK_BIN_DIR/stages" out="$STATE_DIR/kwok/kwok.yaml" f
  [[ -d "$stages" ]] || die "kwok stage files missing in $stages; run 'hack/local-cluster.sh build'"
  mkdir -p "$STATE_DIR/kwok"
  {
    # No KwokConfiguration document on purpose: only a missing one gets kwok's defaults
    # (an empty one leaves e.g. the parallelism options at 0, which kwok rejects).
    echo "# Generated by hack/local-cluster.sh from kwok $KWOK_VERSION's own stage files."
    for f in "$stages"/*.yaml; do
      echo "---"
      grep -v '^---$' "$f"
    done
  } >"$out"
}

write_prometheus_config() {
  mkdir -p "$STATE_DIR/prometheus/data"
  cat >"$STATE_DIR/prometheus/prometheus.yml" <<EOF
# Generated by hack/local-cluster.sh; rewritten on every 'up'.
global:
  scrape_interval: 15s
  evaluation_interval: 15s
  external_labels:
    cluster: $CLUSTER_NAME
scrape_configs:
  # DCGM-exporter-style simulator (Java, started separately). Down until it runs: that is fine.
  - job_name: dcgm-exporter
    scrape_interval: 5s
    scrape_timeout: 4s
    static_configs:
      - targets: ['127.0.0.1:$SIM_METRICS_PORT']
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$PROMETHEUS_PORT']
  # Pods on the real node, by file: Debian's Prometheus has no Kubernetes service discovery, so whoever
  # resolves a Service to its endpoints (the real-node tests, for the chart's Service) writes them here.
  - job_name: real-node-pods
    scrape_interval: 5s
    scrape_timeout: 4s
    metrics_path: /q/metrics
    file_sd_configs:
      - files: ['$STATE_DIR/prometheus/targets/*.json']
        refresh_interval: 5s
EOF
  mkdir -p "$STATE_DIR/prometheus/targets"
}

# ---------------------------------------------------------------------------------------------
# component launchers
# ---------------------------------------------------------------------------------------------

launch_etcd() {
  mkdir -p "$STATE_DIR/etcd"
  chmod 700 "$STATE_DIR/etcd"
  start_process etcd "$(bin_etcd)" \
    --name=gpu-finops \
    --data-dir="$STATE_DIR/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="gpu-finops=http://127.0.0.1:$ETCD_PEER_PORT" \
    --log-level=warn
}

# The Endpoints of the `kubernetes` Service may not hold a loopback address, so advertising
# 127.0.0.1 needs the endpoint reconciler off; nothing runs in-cluster to use it anyway.
launch_kube-apiserver() {
  local bind=127.0.0.1
  [[ "$REAL_NODE" == 1 ]] && bind=0.0.0.0
  start_process kube-apiserver "$(bin_apiserver)" \
    --bind-address="$bind" \
    --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --secure-port="$APISERVER_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --tls-cert-file="$PKI_DIR/apiserver.crt" \
    --tls-private-key-file="$PKI_DIR/apiserver.key" \
    --client-ca-file="$PKI_DIR/ca.crt" \
    --requestheader-client-ca-file="$PKI_DIR/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI_DIR/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI_DIR/front-proxy-client.key" \
    --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI_DIR/sa.pub" \
    --service-account-signing-key-file="$PKI_DIR/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --allow-privileged=true \
    --kubelet-client-certificate="$PKI_DIR/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI_DIR/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --profiling=false
}

# Controllers: the default set. The cloud ones (service LB, routes, cloud node lifecycle) skip
# themselves without a cloud provider, and node IPAM stays idle without --allocate-node-cidrs.
# Single instance, so no leader election: a restart does not wait for the old lease to expire.
launch_kube-controller-manager() {
  local kc="$KUBECONFIG_DIR/kube-controller-manager.kubeconfig"
  start_process kube-controller-manager "$(bin_kcm)" \
    --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" \
    --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 \
    --secure-port="$KCM_PORT" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI_DIR/sa.key" \
    --root-ca-file="$PKI_DIR/ca.crt" \
    --cluster-signing-cert-file="$PKI_DIR/ca.crt" \
    --cluster-signing-key-file="$PKI_DIR/ca.key" \
    --controllers='*' \
    --kube-api-qps=100 \
    --kube-api-burst=200 \
    --profiling=false
}

launch_kube-scheduler() {
  local kc="$KUBECONFIG_DIR/kube-scheduler.kubeconfig"
  start_process kube-scheduler "$(bin_scheduler)" \
    --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" \
    --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 \
    --secure-port="$SCHEDULER_PORT" \
    --leader-elect=false \
    --profiling=false
}

# Only nodes annotated kwok.x-k8s.io/node=fake are kwok's; anything else is left alone.
launch_kwok() {
  write_kwok_config
  start_process kwok "$(bin_kwok)" \
    --kubeconfig="$KUBECONFIG_DIR/kwok.kubeconfig" \
    --config="$STATE_DIR/kwok/kwok.yaml" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds=40 \
    --node-ip=127.0.0.1 \
    --server-address="127.0.0.1:$KWOK_PORT"
}

launch_prometheus() {
  write_prometheus_config
  start_process prometheus "$(component_bin prometheus)" \
    --config.file="$STATE_DIR/prometheus/prometheus.yml" \
    --storage.tsdb.path="$STATE_DIR/prometheus/data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.enable-lifecycle
}

# `build` links the chosen prometheus into <cache>/bin/prometheus (lib/install.sh).
check_prometheus_binary() {
  [[ "$PROMETHEUS_MODE" == off ]] && return 0
  prometheus_ready || die "prometheus is missing from $PROMETHEUS_BIN_DIR although 'build' ran; hack/doctor.sh tells why"
}

# Variable names for the port messages.
port_var() {
  case "$1" in
    etcd) echo GPU_FINOPS_ETCD_PORT ;;
    kube-apiserver) echo GPU_FINOPS_APISERVER_PORT ;;
    kube-controller-manager) echo GPU_FINOPS_KCM_PORT ;;
    kube-scheduler) echo GPU_FINOPS_SCHEDULER_PORT ;;
    kwok) echo GPU_FINOPS_KWOK_PORT ;;
    prometheus) echo GPU_FINOPS_PROMETHEUS_PORT ;;
    kubelet) echo GPU_FINOPS_KUBELET_PORT ;;
  esac
}

# Checks every port a not-yet-running component needs before starting anything.
check_ports() {
  local c
  for c in "${COMPONENTS[@]}"; do
    component_enabled "$c" || continue
    [[ -n "$(component_pid "$c")" ]] && continue
    [[ "$c" == containerd ]] && continue
    [[ "$c" == kubelet ]] && require_free_port "kubelet (healthz)" "$KUBELET_HEALTHZ_PORT" GPU_FINOPS_KUBELET_HEALTHZ_PORT
    require_free_port "$c" "$(component_port "$c")" "$(port_var "$c")"
    if [[ "$c" == etcd ]]; then
      require_free_port "etcd (peer)" "$ETCD_PEER_PORT" GPU_FINOPS_ETCD_PEER_PORT
    fi
  done
}

# Starts a component unless it already runs; returns 0 if it was started now.
launch_if_down() {
  local c="$1"
  [[ -n "$(component_pid "$c")" ]] && return 1
  "launch_$c"
}

# Waits for a component's health endpoint and reports it.
await_component() {
  local c="$1" started="$2" start="$3"
  wait_healthy "$c" "health_$c"
  if ((started)); then
    log "$c up (pid $(component_pid "$c"), port $(component_port "$c"), $((SECONDS - start))s)"
  else
    log "$c was already running (pid $(component_pid "$c"))"
  fi
}

# Starts the given components together (they only depend on what is already up), then waits.
ensure_components() {
  local c start=$SECONDS
  local -A started=()
  for c in "$@"; do
    started[$c]=0
    if launch_if_down "$c"; then started[$c]=1; fi
  done
  for c in "$@"; do
    await_component "$c" "${started[$c]}" "$start"
  done
}

all_up() {
  local c pid
  for c in "${COMPONENTS[@]}"; do
    component_enabled "$c" || continue
    pid="$(component_pid "$c")"
    [[ -n "$pid" ]] && "health_$c" >/dev/null 2>&1 || return 1
  done
}

# ---------------------------------------------------------------------------------------------
# verbs
# ---------------------------------------------------------------------------------------------

cmd_up() {
  local start=$SECONDS want_real=0 was_real
  case "${1:-}" in
    --real-node) want_real=1 ;;
    "") ;;
    *) die "usage: up [--real-node]" ;;
  esac
  command -v curl >/dev/null 2>&1 || die "curl is required (apt-get install curl)"
  mkdir -p "$STATE_DIR"
  # A cluster that is already up keeps the ports it was started with.
  if [[ -f "$PORTS_FILE" && -n "$(component_pid kube-apiserver)" ]]; then
    load_ports
    # Prometheus is optional: this call's GPU_FINOPS_PROMETHEUS decides, not the last `up`'s.
    PROMETHEUS_MODE="${GPU_FINOPS_PROMETHEUS:-on}"
    [[ -n "$(component_pid prometheus)" ]] || PROMETHEUS_PORT="${GPU_FINOPS_PROMETHEUS_PORT:-9090}"
  fi
  was_real="$REAL_NODE"
  ((want_real)) && REAL_NODE=1
  if all_up; then
    log "already up and healthy ($STATE_DIR); nothing to do"
    cmd_status >&2 || true
    return 0
  fi
  # stdout of build is its paths listing; `up` prints the env instead
  if [[ "$REAL_NODE" == 1 ]]; then cmd_build --for demo --real-node >/dev/null; else cmd_build --for demo >/dev/null; fi
  check_prometheus_binary
  [[ -n "$(component_pid prometheus)" ]] || choose_prometheus_port
  check_ports
  save_ports
  ensure_pki
  ensure_kubeconfigs
  ensure_components etcd
  if [[ "$REAL_NODE" == 1 && "$was_real" != 1 && -n "$(component_pid kube-apiserver)" ]]; then
    log "restarting kube-apiserver to listen on the real node's address $(node_ip) too"
    stop_components kube-apiserver
  fi
  ensure_components kube-apiserver
  # The rest only need the API server; starting them together saves a few seconds.
  if component_enabled prometheus; then
    ensure_components kube-controller-manager kube-scheduler kwok prometheus
  else
    ensure_components kube-controller-manager kube-scheduler kwok
    log "prometheus skipped (GPU_FINOPS_PROMETHEUS=off)"
  fi
  [[ "$REAL_NODE" == 1 ]] && start_real_node
  log "cluster up in $((SECONDS - start))s"
  cmd_env
}

# Alive = exists and not a zombie (an exited child its parent has not reaped yet).
is_alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# SIGTERM to all given components at once, wait up to 20 s, then SIGKILL the stragglers.
# Only PIDs verified to still run our binaries are signalled; stale PID files are just removed.
stop_components() {
  local c pid start=$SECONDS i
  local -A pids=()
  for c in "$@"; do
    [[ -f "$(pid_file "$c")" ]] || continue
    pid="$(component_pid "$c")"
    if [[ -z "$pid" ]]; then
      log "$c: not running (stale pid file removed)"
      rm -f "$(pid_file "$c")"
      continue
    fi
    pids[$c]="$pid"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for c in "${!pids[@]}"; do
    pid="${pids[$c]}"
    for ((i = 0; i < 100; i++)); do
      is_alive "$pid" || break
      ((SECONDS - start < 20)) || break
      sleep 0.2
    done
    if is_alive "$pid"; then
      log "$c (pid $pid) ignored SIGTERM for 20s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(pid_file "$c")"
    log "$c stopped (pid $pid, $((SECONDS - start))s)"
  done
}

cmd_down() {
  local purge=0
  case "${1:-}" in
    --purge) purge=1 ;;
    "") ;;
    *) die "usage: down [--purge]" ;;
  esac
  load_ports
  stop_real_node
  # Reverse start order in three waves: clients of the API server, the API server, etcd.
  stop_components prometheus kwok kube-scheduler kube-controller-manager
  stop_components kube-apiserver
  stop_components etcd
  if ((purge)); then
    # Guard the rm: the state dir comes from the environment.
    case "$STATE_DIR" in
      "" | / | "$HOME" | "$HOME/") die "refusing to purge suspicious state dir '$STATE_DIR'" ;;
    esac
    rm -rf -- "$STATE_DIR"
    log "purged $STATE_DIR (cached binaries in $CACHE_DIR kept)"
  else
    log "down; state kept in $STATE_DIR (use 'down --purge' to delete it), binaries kept in $CACHE_DIR"
  fi
}

cmd_status() {
  load_ports
  local c pid state rc=0
  printf '%-24s %-8s %-8s %s\n' COMPONENT STATE PID PORT
  for c in "${COMPONENTS[@]}"; do
    if ! component_enabled "$c"; then
      printf '%-24s %-8s %-8s %s\n' "$c" off - -
      continue
    fi
    pid="$(component_pid "$c")"
    if [[ -z "$pid" ]]; then
      state=down rc=1
    elif "health_$c" >/dev/null 2>&1; then
      state=up
    else
      state=unhealthy rc=1
    fi
    printf '%-24s %-8s %-8s %s\n' "$c" "$state" "${pid:--}" "$(component_port "$c")"
  done
  return "$rc"
}

# Only `export` lines on stdout, so `eval "$(hack/local-cluster.sh env)"` is safe.
cmd_env() {
  load_ports
  local d add=""
  for d in "$K8S_BIN_DIR" "$KCM_BIN_DIR" "$HELM_BIN_DIR" "$KWOK_BIN_DIR" "$PROMETHEUS_BIN_DIR"; do
    case ":$PATH:" in *":$d:"*) ;; *) add+="$d:" ;; esac
  done
  echo "export KUBECONFIG='$ADMIN_KUBECONFIG'"
  echo "export KUBE_API_TEST_DIR='$CACHE_DIR'"
  if [[ "$PROMETHEUS_MODE" != off ]]; then
    echo "export PROMETHEUS_URL='http://127.0.0.1:$PROMETHEUS_PORT'"
  fi
  echo "export GPU_FINOPS_SIM_METRICS_PORT='$SIM_METRICS_PORT'"
  [[ -n "$add" ]] && echo "export PATH='$add'\"\$PATH\""
  return 0
}
