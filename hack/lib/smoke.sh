# shellcheck shell=bash
# `smoke` verb of hack/local-cluster.sh: proves the local cluster runs GPU workloads end to end
# (fake GPU node Ready, Deployment pod Running with a startTime, Job pod terminated with finishedAt).
# Sourced by local-cluster.sh after lib/cluster.sh.

SMOKE_NS="gpu-finops-smoke"
SMOKE_NODE="gpu-p4d-spot-0"

kc() { "$(bin_kubectl)" --kubeconfig="$ADMIN_KUBECONFIG" "$@"; }

# Polls a jsonpath until it is non-empty; prints it.
wait_jsonpath() {
  local what="$1" timeout="$2" out deadline
  shift 2
  deadline=$((SECONDS + timeout))
  while :; do
    out="$(kc "$@" 2>/dev/null || true)"
    if [[ -n "$out" ]]; then
      echo "$out"
      return 0
    fi
    ((SECONDS < deadline)) || die "smoke: timed out after ${timeout}s waiting for $what"
    sleep 1
  done
}

cmd_smoke() {
  local keep=0
  [[ "${1:-}" == --keep ]] && keep=1
  load_ports
  all_up || die "cluster is not up (hack/local-cluster.sh up)"
  local start=$SECONDS pod
  kc apply -f "$HACK_DIR/sample-gpu-node.yaml" >/dev/null
  kc wait --for=condition=Ready "node/$SMOKE_NODE" --timeout=60s >/dev/null
  log "smoke: node $SMOKE_NODE Ready, allocatable nvidia.com/gpu=$(kc get node "$SMOKE_NODE" -o jsonpath='{.status.allocatable.nvidia\.com/gpu}')"

  kc apply -f "$HACK_DIR/sample-gpu-workloads.yaml" >/dev/null
  kc -n "$SMOKE_NS" wait --for=condition=Available deploy/llm-inference --timeout=120s >/dev/null
  pod="$(kc -n "$SMOKE_NS" get pod -l app=llm-inference -o jsonpath='{.items[0].metadata.name}')"
  log "smoke: Deployment pod $pod phase=$(kc -n "$SMOKE_NS" get pod "$pod" -o jsonpath='{.status.phase}')" \
    "node=$(kc -n "$SMOKE_NS" get pod "$pod" -o jsonpath='{.spec.nodeName}')" \
    "startTime=$(wait_jsonpath "startTime of $pod" 30 -n "$SMOKE_NS" get pod "$pod" -o jsonpath='{.status.startTime}')"

  kc -n "$SMOKE_NS" wait --for=condition=Complete job/fine-tune --timeout=180s >/dev/null
  pod="$(kc -n "$SMOKE_NS" get pod -l batch.kubernetes.io/job-name=fine-tune -o jsonpath='{.items[0].metadata.name}')"
  log "smoke: Job pod $pod phase=$(kc -n "$SMOKE_NS" get pod "$pod" -o jsonpath='{.status.phase}')" \
    "startTime=$(kc -n "$SMOKE_NS" get pod "$pod" -o jsonpath='{.status.startTime}')" \
    "finishedAt=$(wait_jsonpath "finishedAt of $pod" 30 -n "$SMOKE_NS" get pod "$pod" \
      -o jsonpath='{.status.containerStatuses[0].state.terminated.finishedAt}')"

  kc get nodes -o wide >&2
  kc -n "$SMOKE_NS" get pods -o wide >&2
  if ((keep)); then
    log "smoke: kept namespace $SMOKE_NS and node $SMOKE_NODE"
  else
    kc delete namespace "$SMOKE_NS" --wait=true --timeout=120s >/dev/null
    log "smoke: namespace $SMOKE_NS deleted (node $SMOKE_NODE kept)"
  fi
  log "smoke: passed in $((SECONDS - start))s"
}
