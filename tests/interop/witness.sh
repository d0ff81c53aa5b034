#!/usr/bin/env bash
# Interop test of c2sp.org/tlog-witness, both ways, against Go's golang.org/x/mod/sumdb/note and
# tlog (tests/interop/witness/main.go, written against the spec, not against rekap):
#   1. a log that is not rekap's, built in Go, pushes to `rekap witness serve`: every answer of
#      the spec (200, 400, 403, 404, 409 with text/x.tlog.size, 422, 413), and cosignatures that
#      Go's note.Open verifies;
#   2. `rekap serve` pushes its checkpoints to a witness written in Go (held to the same answers
#      by the Go log first) and to `rekap witness serve`, serves only checkpoints both cosigned
#      (--witness-quorum 2) while two other Go witnesses refuse it (403, 404), and once
#      restarted, learns from the Go witness's 409 which size it holds.
#
# Usage: tests/interop/witness.sh <path to rekap binary>
#
# Needs Debian's golang-go and golang-golang-x-mod-dev; builds in GOPATH mode and downloads
# nothing. The last line of output is "1 passed, 0 failed" or "0 passed, 1 failed".
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INTEROP_NAME="witness interop"
source "$here/../lib/go_interop.sh"

source "$here/../lib/server.sh"
make_tmp witness-interop
witness_pid=
go_witness_pids=()
trap 'kill $witness_pid "${go_witness_pids[@]}" 2>/dev/null; stop_and_clean' EXIT
deadline=$((SECONDS + timeout_s))

# GOPATH mode against Debian's packaged golang.org/x/mod; nothing may be fetched.
gocache=$(go env GOCACHE 2>/dev/null)
case "$gocache" in "" | off) gocache="$tmp/gocache" ;; esac
(cd "$here/witness" && GO111MODULE=off GOPATH="$gopath_src" GOFLAGS='' GOPROXY=off \
  GOCACHE="$gocache" go build -o "$tmp/gowit" .) || fail "cannot build tests/interop/witness"
{ read -r go_log_vkey && read -r go_witness_vkey; } < <("$tmp/gowit" vkeys)

"$rekap" sim geo --scale tiny --out "$tmp/def" >"$tmp/geo.out" 2>&1 ||
  { cat "$tmp/geo.out" >&2; fail "rekap sim geo failed"; }
use_test_store
"$rekap" init --data "$tmp/data" --def "$tmp/def" "${store_args[@]}" >"$tmp/init.out" 2>&1 ||
  { cat "$tmp/init.out" >&2; fail "rekap init failed"; }
rekap_log_vkey=$(cat "$tmp/data/log.vkey")

# wait_for_url FILE PATTERN PID: the URL a background process prints, once it has.
wait_for_url() {
  local found=
  while [ -z "$found" ]; do
    found=$(sed -n "$2" "$1")
    [ -n "$found" ] && break
    kill -0 "$3" 2>/dev/null || { cat "$1" "$1.err" >&2 2>/dev/null; fail "$1: the process exited"; }
    [ $SECONDS -lt $deadline ] || fail "$1: no URL within ${timeout_s}s"
    sleep 0.1
  done
  echo "$found"
}

# rekap's witness, for the Go log and for rekap's own.
"$rekap" keygen --out "$tmp/w.key" >/dev/null || fail "rekap keygen failed"
rekap_witness_vkey=$("$rekap" witness key --key "$tmp/w.key" --name interop.example/rekap-witness) ||
  fail "rekap witness key failed"
"$rekap" witness serve --key "$tmp/w.key" --name interop.example/rekap-witness \
  --state "$tmp/w.state" --log "$go_log_vkey" --log "$rekap_log_vkey" --listen 127.0.0.1:0 \
  --prefix /rekap-witness >"$tmp/w.out" 2>"$tmp/w.out.err" &
witness_pid=$!
witness_url=$(wait_for_url "$tmp/w.out" 's|^rekap witness .* serving at \(http://.*\)/add-checkpoint$|\1|p' "$witness_pid")
echo "witness interop: rekap witness at $witness_url"

# 1. Go's log pushes to rekap's witness.
"$tmp/gowit" log -url "$witness_url" -wvkey "$rekap_witness_vkey" ||
  { tail -n 20 "$tmp/w.out.err" >&2; fail "the Go log's pushes to rekap witness serve"; }

# The Go witness, held to the same answers by the Go log before it witnesses rekap's log.
# start_go_witness NAME ARGS...: sets go_witness_url and go_witness_vkey.
go_witness_pids=()
start_go_witness() {
  local out="$tmp/$1.out"
  shift
  "$tmp/gowit" serve "$@" >"$out" 2>"$out.err" &
  go_witness_pids+=($!)
  go_witness_url=$(wait_for_url "$out" 's|^go witness .* at \(http://.*\)$|\1|p' "$!")
  go_witness_vkey=$(sed -n 's|^go witness \([^ ]*\) at .*|\1|p' "$out")
}
start_go_witness go-witness -logvkey "$rekap_log_vkey" -logvkey "$go_log_vkey"
echo "witness interop: Go witness at $go_witness_url"
"$tmp/gowit" log -url "$go_witness_url" -wvkey "$go_witness_vkey" >"$tmp/go-log.out" 2>&1 ||
  { cat "$tmp/go-log.out" >&2; fail "the Go witness does not answer as the spec says"; }
tail -n 1 "$tmp/go-log.out"

# 2. rekap's log pushes to Go's witness and to rekap's, and to two Go witnesses that refuse it:
# one has another key for rekap's origin (403), one does not know it (404). Two cosignatures
# are asked for before a checkpoint is served.
start_go_witness distrusting -name interop.example/distrusting -seed d -distrust "${rekap_log_vkey%%+*}"
distrusting=("$go_witness_vkey $go_witness_url")
start_go_witness stranger -name interop.example/stranger -seed s -logvkey "$go_log_vkey"
stranger=("$go_witness_vkey $go_witness_url")
go_witness_url=$(sed -n 's|^go witness .* at \(http://.*\)$|\1|p' "$tmp/go-witness.out")
go_witness_vkey=$(sed -n 's|^go witness \([^ ]*\) at .*|\1|p' "$tmp/go-witness.out")
serve_args=(--data "$tmp/data" "${store_args[@]}" --checkpoint-ms 200
  --witness "$go_witness_vkey $go_witness_url" --witness "$rekap_witness_vkey $witness_url"
  --witness "${distrusting[0]}" --witness "${stranger[0]}" --witness-quorum 2)
start_server "$rekap" "${serve_args[@]}"
echo "witness interop: server at $url"
"$rekap" sim run --url "$url" --def "$tmp/def" --admin-key "$tmp/data/admin.key" \
  >"$tmp/run.out" 2>&1 || { cat "$tmp/run.out" >&2; fail_with_server_log "rekap sim run failed"; }
statements=$(curl -fsS "$url/api/v1/health" | sed -n 's/.*"statements":\([0-9][0-9]*\).*/\1/p')

# check_cosigned: /log/checkpoint covers every statement, and note.Open verifies the log's
# signature and both witnesses' cosignatures on it.
check_cosigned() {
  while :; do
    size=$(curl -fsS "$url/log/checkpoint" 2>/dev/null | sed -n 2p)
    if [ "$size" = "$statements" ] &&
      "$tmp/gowit" check -url "$url" -logvkey "$rekap_log_vkey" -wvkey "$go_witness_vkey" \
        -wvkey "$rekap_witness_vkey" 2>"$tmp/check.err"; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || fail_with_server_log "rekap serve exited"
    [ $SECONDS -lt $deadline ] || { cat "$tmp/check.err" >&2; fail_with_server_log \
      "no checkpoint of all $statements statements with both cosignatures (last size ${size:-none})"; }
    sleep 0.2
  done
}
check_cosigned
stats=$(curl -fsS "${go_witness_url%/go-witness}/stats")
echo "witness interop: Go witness: $stats"
# The refusals reached the server, which said so (once each) and served what the others signed.
for refusal in "HTTP 403" "HTTP 404"; do
  grep -q "witness http://.*: $refusal: it refused" "$tmp/serve.err" ||
    fail_with_server_log "the server did not report the witness's $refusal"
done

# A restarted server does not know what the witnesses hold: their 409 tells it, and it asks
# again from there.
conflicts_before=$(echo "$stats" | sed -n 's/.* conflicts \([0-9]*\) .*/\1/p')
cosigned_before=$(echo "$stats" | sed -n 's/^cosigned \([0-9]*\) .*/\1/p')
kill "$server_pid" && wait "$server_pid" 2>/dev/null
server_pid=
start_server "$rekap" "${serve_args[@]}"
while :; do
  stats=$(curl -fsS "${go_witness_url%/go-witness}/stats")
  conflicts=$(echo "$stats" | sed -n 's/.* conflicts \([0-9]*\) .*/\1/p')
  cosigned=$(echo "$stats" | sed -n 's/^cosigned \([0-9]*\) .*/\1/p')
  [ "$conflicts" -gt "$conflicts_before" ] && [ "$cosigned" -gt "$cosigned_before" ] && break
  [ $SECONDS -lt $deadline ] || fail_with_server_log "the restarted server never met the Go witness's 409: $stats"
  sleep 0.2
done
check_cosigned
echo "witness interop: after a restart: Go witness: $(curl -fsS "${go_witness_url%/go-witness}/stats")"
echo "1 passed, 0 failed"
