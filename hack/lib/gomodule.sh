# module_dir MODULE VERSION: the directory of a Go module in the module cache, downloaded through the Go module
# proxy when missing (outside any go.mod, so the repository's own modules never change). Shared by the scripts
# that take other projects' CRDs from their Go modules.
module_dir() {
  local dir
  dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json "$1@$2" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    echo "could not download Go module $1@$2" >&2
    exit 1
  fi
  echo "$dir"
}
