#!/usr/bin/env bash
# Regenerates the files the build derives from the Java model and copies them where they are committed:
# crds/ (the CRDs users install). CrdInSyncTest fails until this has been run after a model change.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q process-test-classes
mkdir -p crds
rm -f crds/*.yml
cp target/generated-crds/*.yml crds/
echo "crds/ updated:"
ls -1 crds
