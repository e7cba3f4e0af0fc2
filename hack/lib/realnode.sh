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
