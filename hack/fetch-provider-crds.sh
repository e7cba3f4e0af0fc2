#!/usr/bin/env bash
# Fetches the real CRDs the GpuPool providers act on, from their Go modules, into a directory (default
# target/provider-crds): the Karpenter NodePool (sigs.k8s.io/karpenter) and the Cluster API MachineDeployment
# (sigs.k8s.io/cluster-api). Used by the *ApiServerIT tests; the CRDs are never committed.
set -euo pipefail

# v1.14.1: the newest Karpenter whose go.mod the local Go (1.26.8) accepts; v1.14.3 and v1.15.0 need a newer Go.
KARPENTER_VERSION="${KARPENTER_VERSION:-v1.14.1}"
CLUSTER_API_VERSION="${CLUSTER_API_VERSION:-v1.14.2}"
out="${1:-target/provider-crds}"
mkdir -p "$out"

# shellcheck source=lib/gomodule.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/gomodule.sh"

karpenter="$(module_dir sigs.k8s.io/karpenter "$KARPENTER_VERSION")"
install -m 0644 "$karpenter/pkg/apis/crds/karpenter.sh_nodepools.yaml" "$out/karpenter.sh_nodepools.yaml"
capi="$(module_dir sigs.k8s.io/cluster-api "$CLUSTER_API_VERSION")"
md="$capi/core/config/crd/bases/cluster.x-k8s.io_machinedeployments.yaml"  # newer releases keep it under core/
[[ -f "$md" ]] || md="$capi/config/crd/bases/cluster.x-k8s.io_machinedeployments.yaml"
install -m 0644 "$md" "$out/cluster.x-k8s.io_machinedeployments.yaml"
echo "$out"
