#!/usr/bin/env bash
# Collects the CRDs of the ML workload kinds the operator stops and restores (workload/WorkloadKind) into a
# directory (default target/workload-crds), for the *ApiServerIT tests and the simulator. The real ones come from
# their Go modules at pinned versions; the kinds whose modules the Go module proxy refuses (JobSet,
# LeaderWorkerSet, and JAXJob, which the Kubeflow training operator v1.8.1 does not have yet) come from the
# stand-ins in hack/crds/, minimal schemas of only the fields the operator touches, to be replaced by the real
# CRD as soon as its module can be had. Nothing fetched is committed.
set -euo pipefail

TRAINING_OPERATOR_VERSION="${TRAINING_OPERATOR_VERSION:-v1.8.1}"  # the only version the proxy serves
TRAINER_VERSION="${TRAINER_VERSION:-v2.0.0}"
KUBERAY_VERSION="${KUBERAY_VERSION:-v1.5.0}"
KUEUE_VERSION="${KUEUE_VERSION:-v0.17.0}"  # Workload stored as v1beta2
out="${1:-target/workload-crds}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"

# shellcheck source=lib/gomodule.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/gomodule.sh"

training="$(module_dir github.com/kubeflow/training-operator "$TRAINING_OPERATOR_VERSION")"
for plural in pytorchjobs tfjobs mpijobs xgboostjobs paddlejobs; do
  install -m 0644 "$training/manifests/base/crds/kubeflow.org_$plural.yaml" "$out/kubeflow.org_$plural.yaml"
done
trainer="$(module_dir github.com/kubeflow/trainer/v2 "$TRAINER_VERSION")"
install -m 0644 "$trainer/manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml" "$out/trainer.kubeflow.org_trainjobs.yaml"
kuberay="$(module_dir github.com/ray-project/kuberay/ray-operator "$KUBERAY_VERSION")"
for plural in rayjobs rayclusters; do
  install -m 0644 "$kuberay/config/crd/bases/ray.io_$plural.yaml" "$out/ray.io_$plural.yaml"
done
kueue="$(module_dir sigs.k8s.io/kueue "$KUEUE_VERSION")"
install -m 0644 "$kueue/config/components/crd/bases/kueue.x-k8s.io_workloads.yaml" "$out/kueue.x-k8s.io_workloads.yaml"
for standIn in "$here"/crds/*.yaml; do
  install -m 0644 "$standIn" "$out/$(basename "$standIn")"
done
echo "$out"
