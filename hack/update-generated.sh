#!/usr/bin/env bash
# Regenerates the files the build derives from the Java model and copies them where they are committed:
# crds/ (the CRDs users install), the Helm chart's crds/ (copies of them) and deploy/*.yaml (plain manifests
# rendered from the chart). CrdInSyncTest, ChartCrdsInSyncTest and DeployManifestsInSyncApiServerIT fail
# until this has been run after a model or chart change.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q process-test-classes
mkdir -p crds
rm -f crds/*.yml
cp target/generated-crds/*.yml crds/
echo "crds/ updated:"
ls -1 crds

chart_crds=helm/gpu-finops-operator/crds
mkdir -p "$chart_crds"
rm -f "$chart_crds"/*.yml
cp crds/*.yml "$chart_crds"/
echo "$chart_crds/ updated"

# deploy/ is rendered by helm, which `hack/local-cluster.sh build` compiles once and caches.
helm="$(hack/local-cluster.sh paths | sed -n 's/^HELM_BIN_DIR=//p')/helm"
if [[ -z "${HELM:-}" && ! -x "$helm" ]]; then
  echo "no helm at $helm yet: hack/local-cluster.sh build (first time ~6 min, then cached)"
  hack/local-cluster.sh build
fi
hack/render-deploy.sh deploy
