# Shared by the benchmark scripts: build the release binary, make a simulated election, start a
# server on a free loopback port. Sets: rekap, work, server, url, store_args. Source it from the
# repo root. REKAP_BIN=path uses that binary instead of building one; REKAP_STORE=postgres puts
# the election in a throwaway PostgreSQL 15 on loopback (fsync and synchronous_commit on)
# instead of SQLite.
build_and_serve() {
  local scale=$1
  if [ -n "${REKAP_BIN:-}" ]; then
    rekap=$(realpath "$REKAP_BIN")
  else
    scripts/setup.sh
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build build/release --target rekap "${@:2}"
    rekap=$PWD/build/release/src/rekap
  fi
  work=$(mktemp -d)
  store_args=()
  # The server's publishers write until it exits: wait for it before removing its files.
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; stop_store; rm -rf "$work"' EXIT
  if [ "${REKAP_STORE:-sqlite}" = postgres ]; then
    . tests/lib/postgres.sh
    pg_check
    pg_own "$work"
    pg_init "$work/pg" 'local all all trust' 'host all all 127.0.0.1/32 trust'
    # As deploy/patroni sets them for the night: few checkpoints, few full-page images in the WAL.
    pg_start "$work/pg" "$work" -c shared_buffers=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min
    psql -q "host=127.0.0.1 port=$pg_port user=postgres dbname=postgres" -c "CREATE DATABASE rekap"
    store_args=(--store "host=127.0.0.1 port=$pg_port user=postgres dbname=rekap")
  fi
  "$rekap" --log-level warn sim geo --scale "$scale" --out "$work/def"
  "$rekap" --log-level warn init --data "$work/data" --def "$work/def" "${store_args[@]}" >/dev/null
  "$rekap" --log-level warn serve --data "$work/data" "${store_args[@]}" --listen 127.0.0.1:0 \
    >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do grep -q ' at http://' "$work/serve.log" && break; sleep 0.1; done
  url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.log")
  echo "== machine"
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}

# The size of the store: the SQLite file, or the PostgreSQL database.
store_size() {
  if [ ${#store_args[@]} -gt 0 ]; then
    psql -Atq "${store_args[1]}" -c "SELECT 'store: ' || pg_size_pretty(pg_database_size('rekap'))"
  else
    du -sh "$work/data/rekap.db" | awk '{print "store: " $1}'
  fi
}

# On PostgreSQL: the checkpoints and the WAL written so far, and the autovacuum runs per table;
# what the server spent beside the statements themselves.
store_activity() {
  [ ${#store_args[@]} -gt 0 ] || return 0
  psql -Atq "${store_args[1]}" -F ' ' <<'SQL'
SELECT 'checkpoints: ' || checkpoints_timed || ' timed, ' || checkpoints_req || ' requested; WAL '
       || pg_size_pretty(pg_current_wal_lsn() - '0/0'::pg_lsn) FROM pg_stat_bgwriter;
SELECT 'autovacuum ' || relname || ': ' || autovacuum_count || ' vacuums, ' || autoanalyze_count
       || ' analyzes' FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0
       ORDER BY relname;
SQL
}

# shellcheck disable=SC2317  # run by the EXIT trap
stop_store() {
  if [ ${#store_args[@]} -gt 0 ]; then pg_stop "$work/pg"; fi
}
