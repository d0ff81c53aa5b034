# Shared by the test scripts that run a real `rekap serve` (tests/browser, tests/interop): a
# temporary directory removed at exit, the server stopped first; the server started on a free
# loopback port, its address read from what it prints; failures that show the server's log.
# The sourcing script defines `fail MESSAGE` and `deadline` (a $SECONDS value) first.

server_pid=
test_db=
store_args=()

# make_tmp NAME: sets tmp to a new temporary directory, removed when the script exits.
make_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/rekap-$1.XXXXXX") || fail "cannot make a temporary directory"
  trap stop_and_clean EXIT
}

# shellcheck disable=SC2317  # run by the EXIT trap
stop_and_clean() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [ -n "$test_db" ]; then
    psql -q "$REKAP_TEST_PG" -c "DROP DATABASE IF EXISTS $test_db WITH (FORCE)" >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}

# use_test_store: with REKAP_TEST_STORE=postgres, sets store_args to `--store` a database of
# this run's own on the server REKAP_TEST_PG names (tests/pg/with-postgres.sh starts one),
# dropped at exit; otherwise leaves it empty (SQLite in the data directory). Call after make_tmp.
use_test_store() {
  [ "${REKAP_TEST_STORE:-sqlite}" = postgres ] || return 0
  [ -n "${REKAP_TEST_PG:-}" ] || fail "REKAP_TEST_STORE=postgres needs REKAP_TEST_PG (tests/pg/with-postgres.sh)"
  test_db=rekap_$(basename "$tmp" | tr -c 'a-zA-Z0-9' '_' | tr 'A-Z' 'a-z')
  psql -q "$REKAP_TEST_PG" -c "CREATE DATABASE $test_db" >/dev/null || fail "cannot create $test_db"
  store_args=(--store "$REKAP_TEST_PG dbname=$test_db")
}

# Shows what the server said, since a failure here is most often explained there.
fail_with_server_log() {
  echo "--- server log (last 30 lines)" >&2
  tail -n 30 "$tmp/serve.err" >&2
  fail "$@"
}

# start_server REKAP SERVE_ARGS...: runs `REKAP serve SERVE_ARGS --listen 127.0.0.1:0` in the
# background and sets server_pid and url once it says where it listens.
start_server() {
  local bin=$1
  shift
  : >"$tmp/serve.out"
  : >"$tmp/serve.err"
  "$bin" serve "$@" --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server_pid=$!
  url=
  while [ -z "$url" ]; do
    url=$(sed -n 's|^rekap serving election .* at \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' \
      "$tmp/serve.out")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail_with_server_log "rekap serve exited"
    [ $SECONDS -lt $deadline ] || fail_with_server_log "rekap serve did not report its address"
    sleep 0.1
  done
}
