# shellcheck shell=bash
# Installer half of hack/local-cluster.sh: what the local cluster, the demo and the tests need besides
# Java, Go and the Go-built control plane. Sourced after lib/config.sh and lib/build.sh.
#
# - openssl and curl: from the system package manager (apt-get, as root), never typed by the user.
# - prometheus and promtool: found on PATH, else Debian's package through apt-get as root (fast: about
#   half a minute), else built from Prometheus's own Go module into <cache> the way lib/build.sh builds
#   Kubernetes (no root needed). GPU_FINOPS_PROMETHEUS_SOURCE=path|apt|go forces one way. The choice is
#   recorded as two links in <cache>/bin/prometheus/, which everything else uses.

PROMETHEUS_SOURCE="${GPU_FINOPS_PROMETHEUS_SOURCE:-auto}"

is_root() { [[ "$(id -u)" == 0 ]]; }
have_apt() { command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; }

# System packages providing the commands the scripts run, for those not on PATH.
missing_system_packages() {
  local -a need=()
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v setsid >/dev/null 2>&1 || need+=(util-linux)
  echo "${need[*]}"
}

# apt-get install without Recommends; a stale or empty package list (fresh containers) gets one
# `apt-get update` and a second try.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "$@"; then
    log "apt-get install $* failed; updating the package lists once and retrying"
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
  fi
}

# Run as a step: installs openssl/curl/util-linux where missing.
install_system_packages() {
  local pkgs
  pkgs="$(missing_system_packages)"
  [[ -z "$pkgs" ]] && return 0
  # shellcheck disable=SC2086 # a list of package names
  apt_install $pkgs
}

# Dies with the command to type when packages are missing and this script may not install them.
check_system_packages_installable() {
  local pkgs
  pkgs="$(missing_system_packages)"
  [[ -z "$pkgs" ]] && return 0
  is_root && have_apt && return 0
  die "missing commands from the packages: $pkgs; install them (as root: apt-get install -y $pkgs), then run this again"
}

# ---------------------------------------------------------------------------------------------
# Prometheus and promtool
# ---------------------------------------------------------------------------------------------

prometheus_bin() { echo "$PROMETHEUS_BIN_DIR/prometheus"; }
promtool_bin() { echo "$PROMETHEUS_BIN_DIR/promtool"; }

# "prometheus, version 3.15.1 (branch: ...)" -> 3.15.1
prometheus_version_of() {
  "$1" --version 2>&1 | sed -n 's/^[a-z]*, version \([^ ]*\).*/\1/p' | head -n1
}

prometheus_ready() {
  cached_ok "$(prometheus_bin)" && cached_ok "$(promtool_bin)"
}

# Points <cache>/bin/prometheus/{prometheus,promtool} at the binaries in $1 (atomically, per link).
link_prometheus() {
  local from="$1" name
  mkdir -p "$PROMETHEUS_BIN_DIR"
  for name in prometheus promtool; do
    ln -sfn "$from/$name" "$PROMETHEUS_BIN_DIR/.$name.tmp.$$"
    mv -Tf "$PROMETHEUS_BIN_DIR/.$name.tmp.$$" "$PROMETHEUS_BIN_DIR/$name"
  done
}

# The directory holding both prometheus and promtool on PATH, or nothing. Our own link dir is skipped.
prometheus_on_path() {
  local p t
  p="$(command -v prometheus 2>/dev/null)" || return 0
  t="$(command -v promtool 2>/dev/null)" || return 0
  [[ "$(dirname "$p")" == "$(dirname "$t")" && "$(dirname "$p")" != "$PROMETHEUS_BIN_DIR" ]] || return 0
  "$p" --version >/dev/null 2>&1 && dirname "$p"
  return 0
}

# How Prometheus will be provided (what `build` must do, if anything): ready (linked and answering),
# path (link the ones on PATH), debian (link Debian's, installed), apt (install Debian's), go-cached (link
# the Go build), go (build it).
prometheus_plan() {
  if prometheus_ready && [[ "$PROMETHEUS_SOURCE" == auto ]]; then
    echo ready
    return
  fi
  case "$PROMETHEUS_SOURCE" in
    path) echo path ;;
    apt) if cached_ok /usr/bin/prometheus && cached_ok /usr/bin/promtool; then echo debian; else echo apt; fi ;;
    go) if cached_ok "$PROMETHEUS_BUILD_DIR/prometheus" && cached_ok "$PROMETHEUS_BUILD_DIR/promtool"; then
          echo go-cached
        else echo go; fi ;;
    auto)
      if [[ -n "$(prometheus_on_path)" ]]; then echo path
      elif cached_ok "$PROMETHEUS_BUILD_DIR/prometheus" && cached_ok "$PROMETHEUS_BUILD_DIR/promtool"; then echo go-cached
      elif is_root && have_apt && apt_knows prometheus; then echo apt
      else echo go; fi ;;
    *) die "GPU_FINOPS_PROMETHEUS_SOURCE='$PROMETHEUS_SOURCE': use auto, path, apt or go" ;;
  esac
}

# True if apt has (or, with empty lists, may have after an update) a candidate for the package.
apt_knows() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]] && return 0
  # Never updated (fresh container): no lists at all. Worth one `apt-get update` in the step.
  ! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null
}

# Links whatever is on PATH (a Debian package, a tarball in /usr/local/bin...).
use_prometheus_on_path() {
  local dir
  dir="$(prometheus_on_path)"
  [[ -n "$dir" ]] || die "GPU_FINOPS_PROMETHEUS_SOURCE=path, but prometheus and promtool are not both on PATH"
  link_prometheus "$dir"
  log "prometheus $(prometheus_version_of "$dir/prometheus") from $dir"
}

# Debian's postinst starts and enables prometheus.service (on :9090, scraping itself and a node exporter).
# The demo runs its own instance, so a temporary policy-rc.d (the Debian way to say "start no services
# during this install") keeps it from starting, and the service is then disabled so no reboot starts it.
# A policy-rc.d that already exists (containers usually have one) is left as it is.
install_prometheus_apt() {
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# temporary, written by gpu-finops hack/lib/install.sh during apt-get install prometheus\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
    # shellcheck disable=SC2064 # remove this very file, even if the install fails
    trap "rm -f '$policy'" EXIT
  fi
  apt_install prometheus
  if ((made_policy)); then
    rm -f "$policy"
    trap - EXIT
  fi
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
    log "Debian's prometheus.service disabled (the demo and tests run their own Prometheus)"
  elif command -v update-rc.d >/dev/null 2>&1 && [[ -e /etc/init.d/prometheus ]]; then
    update-rc.d prometheus disable >/dev/null 2>&1 || true
  fi
  [[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]] || die "apt-get installed prometheus, but /usr/bin/prometheus or /usr/bin/promtool is missing"
  link_prometheus /usr/bin
  log "prometheus $(prometheus_version_of /usr/bin/prometheus) installed from Debian's package"
}

# Prometheus's go.mod has replace and exclude directives, so, as for Kubernetes, `go install pkg@version`
# refuses it; a wrapper module carrying its go.mod and go.sum (requirements, replaces, excludes) builds the
# same versions Prometheus's own release does. The web UI's assets are not in the module (built with npm
# upstream), so the binary serves the HTTP API only, which is all the operator and the tests use.
prepare_prometheus_module() {
  local dir="$SRC_DIR/prometheus-$PROMETHEUS_MODULE_VERSION" upstream
  if [[ -f "$dir/.prepared" ]]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$dir"
  upstream="$(cd "$SRC_DIR" && go_env go mod download -json "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$upstream/go.mod" && -f "$upstream/go.sum" ]] || die "could not download github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION from the Go module proxy"
  {
    echo "// Generated by hack/local-cluster.sh from github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION's go.mod."
    sed 's#^module .*#module gpu-finops.local/prometheus-build#' "$upstream/go.mod"
    echo
    echo "require github.com/prometheus/prometheus $PROMETHEUS_MODULE_VERSION"
  } >"$dir/go.mod"
  cp "$upstream/go.sum" "$dir/go.sum"
  chmod 644 "$dir/go.mod" "$dir/go.sum"
  cat >"$dir/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
EOF
  touch "$dir/.prepared"
  echo "$dir"
}

prometheus_ldflags() {
  local version="${PROMETHEUS_MODULE_VERSION#v0.}" date
  # v0.315.1 -> 3.15.1
  version="${version:0:1}.$((10#${version:1:2})).${version#*.}"
  date="$(module_time "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION")"
  local v=github.com/prometheus/common/version
  echo "-s -w -X $v.Version=$version -X $v.Revision=$PROMETHEUS_MODULE_VERSION -X $v.Branch=module -X $v.BuildUser=gpu-finops -X $v.BuildDate=$date"
}

# One `go build` for both commands, so the packages they share are compiled once. remove_all_sd leaves
# out every service-discovery plugin but file and http (static_configs need none): no cloud SDKs to
# download and compile, which is most of Prometheus's build time.
build_prometheus_go() {
  local dir tmp name
  dir="$(prepare_prometheus_module)"
  tmp="$PROMETHEUS_BUILD_DIR/.build.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$BUILD_LOG_DIR"
  # shellcheck disable=SC2064 # remove this very directory, even if the build fails
  trap "rm -rf '$tmp'" EXIT
  log "building prometheus and promtool $PROMETHEUS_MODULE_VERSION from Go modules ..."
  (cd "$dir" && run_logged "prometheus + promtool" "$BUILD_LOG_DIR/build-prometheus.log" \
    go_env go build -trimpath -tags remove_all_sd -ldflags "$(prometheus_ldflags)" -o "$tmp/" \
    github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool)
  for name in prometheus promtool; do
    "$tmp/$name" --version >/dev/null 2>&1 || die "$name was built but asking it for its version fails"
  done
  for name in prometheus promtool; do mv -f "$tmp/$name" "$PROMETHEUS_BUILD_DIR/$name"; done
  rm -rf "$tmp"
  trap - EXIT
  link_prometheus "$PROMETHEUS_BUILD_DIR"
  log "prometheus $(prometheus_version_of "$PROMETHEUS_BUILD_DIR/prometheus") built into $PROMETHEUS_BUILD_DIR"
}
