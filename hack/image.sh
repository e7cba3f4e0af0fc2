#!/usr/bin/env bash
# The operator's OCI image, without a Docker engine:
#
#   hack/image.sh [--no-package] [--name REF] [--out FILE]
#
# 1. ./mvnw package (skipped with --no-package: the E2E tests reuse the fast-jar `verify` just built);
# 2. a JRE jlink-ed from the local JDK 17 with the modules the operator uses, plus the C libraries its binaries
#    link (glibc, zlib), copied from this machine: the image's base is `scratch`, with no shell or package manager;
# 3. Jib's core library (OperatorImage in the tests) writes the image as an OCI archive: runtime, libraries and
#    application layers, user 65532, every timestamp the epoch, so the same inputs give the same digest.
#
# The default reference is the chart's default image (helm/gpu-finops-operator/values.yaml, appVersion), so
# `helm install` finds it once the archive is loaded into the cluster's runtime (README, "Install with Helm").
# Prints the reference, digest, image ID and archive; nothing is pulled or pushed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HACK_DIR="$ROOT/hack"
# shellcheck source=hack/lib/config.sh
source "$HACK_DIR/lib/config.sh"
log() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

# What the operator needs from the JDK (jdeps over the fast-jar, then what it cannot see: services and reflection):
# JMX and the OS MXBeans for Micrometer, JNDI and SASL/GSS for the Kubernetes client's TLS and auth, EC and
# PKCS#11-free crypto for TLS, java.desktop for java.beans (SnakeYAML, Jackson), zip file systems for Quarkus.
JRE_MODULES="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,jdk.charsets"
JLINK_FLAGS=(--strip-debug --no-man-pages --no-header-files --compress=2)

package=1
name=""
out="$ROOT/target/image/gpu-finops-operator.oci.tar"
while (($#)); do
  case "$1" in
    --no-package) package=0 ;;
    --name) name="${2:?--name needs an image reference}"; shift ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

# The chart's default image: repository from values.yaml, tag = the chart's appVersion.
chart_image() {
  local chart="$ROOT/helm/gpu-finops-operator" repo tag
  repo="$(sed -n '/^image:/,/^[a-z]/s/^  repository: *//p' "$chart/values.yaml" | head -n1)"
  tag="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$chart/Chart.yaml")"
  [[ -n "$repo" && -n "$tag" ]] || die "cannot read image.repository from values.yaml or appVersion from Chart.yaml"
  echo "$repo:$tag"
}

jdk_home() {
  local java
  java="$(readlink -f "$(command -v java)")" || die "java is not on PATH (Java $JAVA_MIN_MAJOR is required)"
  echo "${java%/bin/java}"
}

# The jlink-ed JRE, cached per JDK build and module list: jlink takes ~20 s, and a cached one keeps the digest.
jre() {
  local jdk version key dir
  jdk="$(jdk_home)"
  [[ "$(java_major)" == "$JAVA_MIN_MAJOR" ]] || die "the image's JRE is jlink-ed from the local JDK $JAVA_MIN_MAJOR; java on PATH is $(java_major)"
  [[ -d "$jdk/jmods" ]] || die "$jdk has no jmods/ to jlink from; install them (Debian: apt-get install openjdk-17-jmods)"
  version="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
  key="$(printf '%s|%s|%s' "$version" "$JRE_MODULES" "${JLINK_FLAGS[*]}" | sha256sum | cut -c1-12)"
  dir="$CACHE_DIR/images/jre-$version-$key"
  if [[ ! -x "$dir/bin/java" ]]; then
    log "jlink: a JRE from $jdk ($version) with $JRE_MODULES"
    rm -rf "$dir.tmp.$$"
    mkdir -p "$(dirname "$dir")"
    "$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$JRE_MODULES" "${JLINK_FLAGS[@]}" --output "$dir.tmp.$$"
    rm -rf "$dir"
    mv "$dir.tmp.$$" "$dir"
  fi
  echo "$dir"
}

# The runtime layer's tree: /opt/java, the shared libraries its binaries load (as ldd resolves them here, each
# copied to the path the loader looks in), /etc/passwd and /etc/group naming the user, an empty /tmp.
runtime_root() {
  local jre="$1" root="$2" lib
  rm -rf "$root"
  mkdir -p "$root/opt" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp -a "$jre" "$root/opt/java"
  # java.desktop is there for java.beans only: its AWT, font, image and sound natives (and the X11 libraries
  # they would pull in) go, so an attempt to draw fails loudly instead of loading half a desktop.
  rm -f "$root"/opt/java/lib/{libawt,libawt_headless,libawt_xawt,libfontmanager,libjavajpeg,liblcms,libmlib_image,libsplashscreen,libjsound}.so
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null |
    awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$root" | sort -u)
  printf 'root:x:0:0:root:/:/sbin/nologin\nnonroot:x:65532:65532:gpu-finops-operator:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
}

# Jib's core library and its dependencies, as Maven resolved them for the tests (pom.xml, image-builder-classpath).
builder_classpath() {
  local file="$ROOT/target/image-builder.classpath"
  [[ -f "$file" && -d "$ROOT/target/test-classes/dev/finops/operator/node" ]] ||
    die "target/ holds no image builder: run ./mvnw package (or hack/image.sh without --no-package)"
  echo "$ROOT/target/test-classes:$(<"$file")"
}

main() {
  local start=$SECONDS jre root="$ROOT/target/image/runtime"
  [[ -n "$name" ]] || name="$(chart_image)"
  if ((package)); then
    log "./mvnw package (the fast-jar and the image builder)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
  fi
  [[ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ]] || die "no target/quarkus-app: run ./mvnw package first"
  jre="$(jre)"
  runtime_root "$jre" "$root"
  log "writing $name to $out"
  java -cp "$(builder_classpath)" dev.finops.operator.node.OperatorImage "$root" "$ROOT/target/quarkus-app" "$name" "$out"
  log "done in $((SECONDS - start))s"
}

main; exit
