# shellcheck shell=bash
# The opt-in real node of hack/local-cluster.sh (`up --real-node`): containerd, runc and the CNI plugins from
# Debian's packages, a kubelet built from the control plane's Kubernetes module, a locally built pause image,
# beside kwok's simulated GPU nodes. Sourced after lib/build.sh, lib/install.sh and lib/cluster.sh.
#
# What this machine needs (found by hand, kept here as settings):
# - cgroup v1 with the cgroupfs driver: the kubelet runs with failCgroupV1=false, cgroupsPerQOS=false and no
#   node allocatable enforcement (there is no systemd to own a cgroup hierarchy);
# - no CAP_SYS_RESOURCE: containerd's CRI plugin must not raise a container's oom_score_adj above its own
#   (restrict_oom_score_adj), or runc fails with "can't get final child's PID from pipe";
# - no registry: the sandbox (pause) image is built here and imported, and so is every image a pod on this
#   node runs (imagePullPolicy IfNotPresent or Never);
# - the kubelet refuses a loopback node IP: the node uses the machine's own address (GPU_FINOPS_NODE_IP), and
#   the API server listens on it too (0.0.0.0) so that pods reach it; pods are given that address as
#   KUBERNETES_SERVICE_HOST, as there is no kube-proxy behind the `kubernetes` Service.

REAL_NODE_NAME="${GPU_FINOPS_NODE_NAME:-gpu-finops-node}"
# Ports away from the demo's 16443/23790/9090/19090/9400/8080 and from kwok's; the tests move them with their base.
KUBELET_PORT="${GPU_FINOPS_KUBELET_PORT:-16350}"
KUBELET_HEALTHZ_PORT="${GPU_FINOPS_KUBELET_HEALTHZ_PORT:-16348}"
# Pods' addresses on the node's bridge; kept apart from the Service range 10.96.0.0/16.
POD_CIDR="${GPU_FINOPS_POD_CIDR:-10.244.0.0/24}"
REAL_NODE_DIR="$STATE_DIR/node"
CONTAINERD_SOCK="$REAL_NODE_DIR/containerd/containerd.sock"
# The taint and label that keep everything but what targets the real node on kwok's nodes.
REAL_NODE_TAINT_KEY="gpu-finops.dev/real-node"
PAUSE_IMAGE="gpu-finops.local/pause:1.0"
PAUSE_DIR="$CACHE_DIR/images"
PAUSE_ARCHIVE="$PAUSE_DIR/pause-1.0.oci.tar"
KUBELET_SRC_DIR="$SRC_DIR/kubelet-$K8S_VERSION"
REAL_NODE_PACKAGES=(containerd runc containernetworking-plugins)
USUAL_SECONDS_KUBELET=150
USUAL_SECONDS_NODE_PACKAGES=30

bin_kubelet() { echo "$KCM_BIN_DIR/kubelet"; }
bin_containerd() { echo /usr/bin/containerd; }
bin_ctr() { echo /usr/bin/ctr; }

# The first global IPv4 address of the machine, unless GPU_FINOPS_NODE_IP names one.
node_ip() {
  if [[ -n "${GPU_FINOPS_NODE_IP:-}" ]]; then
    echo "$GPU_FINOPS_NODE_IP"
    return
  fi
  ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n1
}

# ---------------------------------------------------------------------------------------------
# install and build
# ---------------------------------------------------------------------------------------------

missing_node_packages() {
  local -a need=()
  command -v containerd >/dev/null 2>&1 || need+=(containerd)
  command -v runc >/dev/null 2>&1 || need+=(runc)
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] || need+=(containernetworking-plugins)
  echo "${need[*]}"
}

# Debian's containerd postinst starts containerd.service on /run/containerd; the real node runs its own
# containerd on its own socket and directories, so, as for Prometheus, a temporary policy-rc.d keeps the
# service from starting and it is disabled afterwards.
install_node_packages() {
  local pkgs policy=/usr/sbin/policy-rc.d made_policy=0
  pkgs="$(missing_node_packages)"
  [[ -z "$pkgs" ]] && return 0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# temporary, written by gpu-finops hack/lib/realnode.sh during apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
    # shellcheck disable=SC2064 # remove this very file, even if the install fails
    trap "rm -f '$policy'" EXIT
  fi
  # shellcheck disable=SC2086 # a list of package names
  apt_install $pkgs
  if ((made_policy)); then
    rm -f "$policy"
    trap - EXIT
  fi
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now containerd.service >/dev/null 2>&1 || true
  fi
  [[ -z "$(missing_node_packages)" ]] || die "apt-get installed $pkgs, but $(missing_node_packages) still missing"
}

build_kubelet() {
  if cached_ok "$(bin_kubelet)"; then
    log "cached: kubelet ($(bin_kubelet))"
    return 0
  fi
  local dir
  dir="$(prepare_k8s_wrapper "$KUBELET_SRC_DIR" kubelet)"
  (cd "$dir" && build_atomic kubelet "$(bin_kubelet)" \
    go_env go build -trimpath -ldflags "$(k8s_ldflags)" -o "$(tmp_out kubelet "$(bin_kubelet)")" k8s.io/kubernetes/cmd/kubelet)
}

# The sandbox image every pod starts with: a static binary that sleeps until SIGTERM or SIGINT (what the
# upstream pause does; it reaps no children, since pods here share no PID namespace), in an OCI archive written
# with fixed timestamps and owners, so the same Go gives the same digest.
build_pause_image() {
  [[ -f "$PAUSE_ARCHIVE" ]] && return 0
  local dir="$SRC_DIR/pause" work
  mkdir -p "$dir" "$PAUSE_DIR"
  cat >"$dir/go.mod" <<'EOF'
// Generated by hack/local-cluster.sh: the real node's pause (sandbox) binary.
module gpu-finops.local/pause

go 1.24.0
EOF
  cat >"$dir/main.go" <<'EOF'
// Command pause holds a pod's namespaces open until the kubelet stops the sandbox.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
EOF
  work="$PAUSE_DIR/.pause.tmp.$$"
  rm -rf "$work"
  mkdir -p "$work/rootfs" "$work/oci/blobs/sha256"
  (cd "$dir" && go_env go build -trimpath -ldflags "-s -w" -o "$work/rootfs/pause" .)
  write_oci_archive "$work" "$PAUSE_IMAGE" '["/pause"]' "$PAUSE_ARCHIVE"
  rm -rf "$work"
  log "pause image $PAUSE_IMAGE -> $PAUSE_ARCHIVE"
}

# $1=work dir holding rootfs/ and oci/, $2=image name, $3=entrypoint (JSON array), $4=archive to write.
# One layer; every timestamp is the epoch and every owner 65535, so equal files give an equal digest.
write_oci_archive() {
  local work="$1" name="$2" entrypoint="$3" out="$4" blobs="$1/oci/blobs/sha256"
  local layer diff_id layer_digest layer_size config config_digest manifest manifest_digest
  tar --sort=name --mtime=@0 --owner=65535 --group=65535 --numeric-owner -C "$work/rootfs" -cf "$work/layer.tar" .
  diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  gzip -n -9 <"$work/layer.tar" >"$work/layer.tar.gz"
  layer_digest="$(sha256sum "$work/layer.tar.gz" | cut -d' ' -f1)"
  layer_size="$(stat -c %s "$work/layer.tar.gz")"
  mv "$work/layer.tar.gz" "$blobs/$layer_digest"
  config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":$entrypoint,\"User\":\"65535:65535\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$diff_id\"]}}"
  printf '%s' "$config" >"$work/config.json"
  config_digest="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$blobs/$config_digest"
  manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_digest\",\"size\":${#config}},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$layer_digest\",\"size\":$layer_size}]}"
  printf '%s' "$manifest" >"$work/manifest.json"
  manifest_digest="$(sha256sum "$work/manifest.json" | cut -d' ' -f1)"
  mv "$work/manifest.json" "$blobs/$manifest_digest"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$manifest_digest" "${#manifest}" "$name" "${name##*:}" >"$work/oci/index.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/oci" -cf "$out.tmp.$$" .
  mv -f "$out.tmp.$$" "$out"
}

real_node_cached() {
  [[ -z "$(missing_node_packages)" ]] && cached_ok "$(bin_kubelet)" && [[ -f "$PAUSE_ARCHIVE" ]]
}

step_node_packages() { install_node_packages; }
step_kubelet() { build_kubelet && build_pause_image; }

# build --real-node: what the real node needs, in the same numbered steps as the rest of `build`.
plan_real_node_steps() {
  [[ -n "$(missing_node_packages)" ]] &&
    step_add node-packages sys "$USUAL_SECONDS_NODE_PACKAGES" "$(missing_node_packages) (apt-get, for the real node)" step_node_packages
  cached_ok "$(bin_kubelet)" && [[ -f "$PAUSE_ARCHIVE" ]] ||
    step_add kubelet go "$USUAL_SECONDS_KUBELET" "kubelet $K8S_VERSION and the pause image (go build, for the real node)" step_kubelet
}

check_real_node_prerequisites() {
  [[ -z "$(missing_node_packages)" ]] || { is_root && have_apt; } ||
    die "the real node needs the packages $(missing_node_packages); install them as root (apt-get install -y $(missing_node_packages)), then run this again"
  is_root || die "the real node runs containerd and a kubelet, which need root"
  [[ -n "$(node_ip)" ]] || die "no global IPv4 address for the real node (the kubelet refuses loopback); set GPU_FINOPS_NODE_IP"
}

# ---------------------------------------------------------------------------------------------
# run: containerd and the kubelet, in <state>/node, on their own socket, ports, bridge and pod range
# ---------------------------------------------------------------------------------------------

# Per cluster, so that two real-node clusters (the demo's, a test run's) never share a bridge or addresses.
node_bridge() { echo "gfn$KUBELET_PORT"; }
node_pod_cidr() { echo "${GPU_FINOPS_POD_CIDR:-10.244.$((KUBELET_PORT % 250)).0/24}"; }

ctr_node() { "$(bin_ctr)" --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

write_containerd_config() {
  local dir="$REAL_NODE_DIR/containerd"
  mkdir -p "$dir/root" "$dir/state" "$dir/netns" "$REAL_NODE_DIR/cni/net.d" "$REAL_NODE_DIR/cni/ipam"
  cat >"$dir/config.toml" <<TOML
# Generated by hack/local-cluster.sh --real-node; rewritten on every 'up'.
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # this machine lacks CAP_SYS_RESOURCE: runc may not raise a container's oom_score_adj above containerd's
  restrict_oom_score_adj = true
  netns_mounts_under = "$dir/netns"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "${GPU_FINOPS_SNAPSHOTTER:-overlayfs}"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$REAL_NODE_DIR/cni/net.d"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
TOML
  # Debian's bridge + host-local: the host reaches pods (probes, Prometheus) through the bridge's address.
  cat >"$REAL_NODE_DIR/cni/net.d/10-gpu-finops.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "gpu-finops",
  "plugins": [
    {"type": "bridge", "bridge": "$(node_bridge)", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$REAL_NODE_DIR/cni/ipam", "ranges": [[{"subnet": "$(node_pod_cidr)"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "loopback"}
  ]
}
JSON
}

write_kubelet_config() {
  local dir="$REAL_NODE_DIR/kubelet"
  mkdir -p "$dir/root" "$dir/pki" "$REAL_NODE_DIR/pod-logs"
  cat >"$dir/config.yaml" <<YAML
# Generated by hack/local-cluster.sh --real-node; rewritten on every 'up'.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: "$(node_ip)"
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
containerRuntimeEndpoint: "unix://$CONTAINERD_SOCK"
# cgroup v1 without systemd: cgroupfs, no QoS hierarchy, no node allocatable enforcement
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
podLogsDir: "$REAL_NODE_DIR/pod-logs"
resolvConf: /etc/resolv.conf
maxPods: 16
serializeImagePulls: false
# every image here is imported, none can be pulled again: never collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "100Mi"
  nodefs.available: "2%"
  imagefs.available: "2%"
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI_DIR/ca.crt"}
authorization:
  mode: Webhook
registerWithTaints:
- {key: $REAL_NODE_TAINT_KEY, value: "true", effect: NoSchedule}
tlsCertFile: "$PKI_DIR/kubelet-serving.crt"
tlsPrivateKeyFile: "$PKI_DIR/kubelet-serving.key"
shutdownGracePeriod: 0s
YAML
}

ensure_node_pki() {
  local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  # The Node authorizer and NodeRestriction know the kubelet by this name and group.
  issue_cert kubelet "/O=system:nodes/CN=system:node:$REAL_NODE_NAME" "$client"
  issue_cert kubelet-serving "/CN=$REAL_NODE_NAME" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:$(node_ip),DNS:$REAL_NODE_NAME"
  chmod 600 "$PKI_DIR"/*.key
  write_kubeconfig "$KUBECONFIG_DIR/kubelet.kubeconfig" kubelet
}

launch_containerd() {
  write_containerd_config
  start_process containerd "$(bin_containerd)" --config "$REAL_NODE_DIR/containerd/config.toml" --log-level warn
}

launch_kubelet() {
  write_kubelet_config
  start_process kubelet "$(bin_kubelet)" \
    --config="$REAL_NODE_DIR/kubelet/config.yaml" \
    --kubeconfig="$KUBECONFIG_DIR/kubelet.kubeconfig" \
    --root-dir="$REAL_NODE_DIR/kubelet/root" \
    --cert-dir="$REAL_NODE_DIR/kubelet/pki" \
    --hostname-override="$REAL_NODE_NAME" \
    --node-ip="$(node_ip)" \
    --node-labels="$REAL_NODE_TAINT_KEY=true" \
    --v=1
}

health_containerd() { ctr_node version; }
health_kubelet() { curl -fsS --max-time 5 "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz" | grep -qx ok; }

# Imports an OCI or Docker archive into the node's containerd (namespace k8s.io, where the kubelet looks).
node_import_image() {
  local archive="$1" start=$SECONDS
  [[ -f "$archive" ]] || die "no image archive at $archive"
  ctr_node images import --snapshotter "${GPU_FINOPS_SNAPSHOTTER:-overlayfs}" "$archive" >/dev/null
  log "imported $archive into the real node's containerd ($((SECONDS - start))s)"
}

ensure_pause_image() {
  ctr_node images ls -q 2>/dev/null | grep -qx "$PAUSE_IMAGE" || node_import_image "$PAUSE_ARCHIVE"
}

node_ready() {
  "$(bin_kubectl)" --kubeconfig "$ADMIN_KUBECONFIG" get node "$REAL_NODE_NAME" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True
}

start_real_node() {
  local start=$SECONDS deadline
  ensure_node_pki
  ensure_components containerd
  ensure_pause_image
  ensure_components kubelet
  deadline=$((SECONDS + READY_TIMEOUT))
  until node_ready; do
    ((SECONDS < deadline)) || { log_tail kubelet; die "node $REAL_NODE_NAME not Ready after ${READY_TIMEOUT}s"; }
    sleep 1
  done
  log "real node $REAL_NODE_NAME Ready at $(node_ip) (kubelet :$KUBELET_PORT, containerd $CONTAINERD_SOCK, $((SECONDS - start))s)"
}

# The node's containers outlive containerd (their shims keep running): kill them through containerd first, then
# stop it, then unmount what the kubelet and CNI mounted under the state dir and remove the bridge.
stop_real_node() {
  [[ -f "$(pid_file kubelet)" || -f "$(pid_file containerd)" ]] || return 0
  stop_components kubelet
  if [[ -n "$(component_pid containerd)" ]]; then
    local task
    for task in $(ctr_node tasks ls -q 2>/dev/null); do
      ctr_node tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
    done
    sleep 1
    for task in $(ctr_node tasks ls -q 2>/dev/null); do ctr_node tasks delete -f "$task" >/dev/null 2>&1 || true; done
  fi
  stop_components containerd
  awk -v d="$REAL_NODE_DIR/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  ip link del "$(node_bridge)" 2>/dev/null || true
}

# load-image <archive>: what `kind load image-archive` does for kind, for this cluster's real node.
cmd_load_image() {
  [[ $# == 1 ]] || die "usage: load-image <image archive (hack/image.sh writes target/image/gpu-finops-operator.oci.tar)>"
  load_ports
  [[ "$REAL_NODE" == 1 && -n "$(component_pid containerd)" ]] || die "no real node is running: hack/local-cluster.sh up --real-node"
  node_import_image "$1"
}
