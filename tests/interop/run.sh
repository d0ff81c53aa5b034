#!/usr/bin/env bash
# Interop test: Go's golang.org/x/mod/sumdb/note and tlog check the transparency log of a rekap
# server after a simulated election night (tests/interop/checklog).
#
# Usage: tests/interop/run.sh <path to rekap binary>
#
# Needs Debian's golang-go and golang-golang-x-mod-dev; builds in GOPATH mode and downloads
# nothing. The last line of output is "1 passed, 0 failed" or "0 passed, 1 failed".
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INTEROP_NAME="interop"
source "$here/../lib/go_interop.sh"

source "$here/../lib/server.sh"
make_tmp interop

deadline=$((SECONDS + timeout_s))

"$rekap" sim geo --scale small --out "$tmp/def" >"$tmp/geo.out" 2>&1 ||
  { cat "$tmp/geo.out" >&2; fail "rekap sim geo failed"; }
use_test_store
"$rekap" init --data "$tmp/data" --def "$tmp/def" "${store_args[@]}" >"$tmp/init.out" 2>&1 ||
  { cat "$tmp/init.out" >&2; fail "rekap init failed"; }

start_server "$rekap" --data "$tmp/data" "${store_args[@]}"
echo "interop: server at $url"

"$rekap" sim run --url "$url" --def "$tmp/def" --admin-key "$tmp/data/admin.key" \
  >"$tmp/run.out" 2>&1 || { cat "$tmp/run.out" >&2; fail_with_server_log "rekap sim run failed"; }

# Checkpoints are signed every second or so: wait for one that covers every stored statement.
while :; do
  statements=$(curl -fsS "$url/api/v1/health" 2>/dev/null |
    sed -n 's/.*"statements":\([0-9][0-9]*\).*/\1/p')
  size=$(curl -fsS "$url/log/checkpoint" 2>/dev/null | sed -n 2p)
  [ -n "$statements" ] && [ "$statements" -gt 0 ] && [ "$size" = "$statements" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail_with_server_log "rekap serve exited"
  [ $SECONDS -lt $deadline ] || fail_with_server_log \
    "no checkpoint of all ${statements:-?} statements within ${timeout_s}s (last size ${size:-none})"
  sleep 0.2
done
echo "interop: checkpoint covers all $statements statements"

vkey=$(curl -fsS "$url/log/key") || fail_with_server_log "GET /log/key failed"
echo "interop: log key $vkey"

# GOPATH mode against Debian's packaged golang.org/x/mod; nothing may be fetched.
gocache=$(go env GOCACHE 2>/dev/null)
case "$gocache" in "" | off) gocache="$tmp/gocache" ;; esac
if GO111MODULE=off GOPATH="$gopath_src" GOFLAGS='' GOPROXY=off GOCACHE="$gocache" \
  go run "$here/checklog/main.go" -url "$url" -vkey "$vkey"; then
  echo "1 passed, 0 failed"
  exit 0
fi
fail_with_server_log "checklog refused the log"
