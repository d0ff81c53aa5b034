# What the Go interop tests (tests/interop/run.sh, witness.sh) share: the checks that Go, curl and
# Debian's golang.org/x/mod are there, and `fail`, which ends the test with the line CTest reads.
# Source it with INTEROP_NAME set and the script's arguments: sets `rekap`, `gopath_src`,
# `timeout_s`.
gopath_src=/usr/share/gocode
timeout_s=${REKAP_INTEROP_TIMEOUT:-120}

fail() {
  echo "$INTEROP_NAME: FAIL: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

[ $# -eq 1 ] || fail "usage: $0 <path to rekap binary>"
rekap=$(realpath "$1" 2>/dev/null)
if [ -z "$rekap" ] || [ ! -x "$rekap" ]; then fail "$1 is not an executable"; fi
command -v go >/dev/null || fail "go not found (install Debian's golang-go)"
command -v curl >/dev/null || fail "curl not found"
[ -d "$gopath_src/src/golang.org/x/mod/sumdb/note" ] ||
  fail "golang.org/x/mod not in $gopath_src (install Debian's golang-golang-x-mod-dev)"
