# Shared by the test scripts that start throwaway PostgreSQL 15 servers (tests/pg/with-postgres.sh,
# tests/cluster/failover.sh): initdb into a directory, the server on a free port of 127.0.0.1,
# as the postgres user when run as root (initdb refuses root). Nothing needs to run beforehand.

pg_bin=${REKAP_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_as_owner=()

# pg_check: the server's programs are installed.
pg_check() {
  if [ ! -x "$pg_bin/initdb" ]; then
    echo "no $pg_bin/initdb; install postgresql-15 (scripts/setup.sh)" >&2
    return 1
  fi
}

# pg_own DIR: makes DIR the server's, running it as postgres when this script is root.
pg_own() {
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$1"
    pg_as_owner=(runuser -u postgres --)
  fi
}

pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# pg_init DATA HBA_LINES...: a new cluster in DATA (a directory pg_own made) whose pg_hba.conf
# holds the lines given.
pg_init() {
  local data=$1
  shift
  "${pg_as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$data.initdb.log" 2>&1 || {
    cat "$data.initdb.log" >&2
    return 1
  }
  printf '%s\n' "$@" | "${pg_as_owner[@]}" tee "$data/pg_hba.conf" >/dev/null
}

# pg_start DATA SOCKET_DIR [-c OPTION ...]: starts the cluster in DATA on a free port of
# 127.0.0.1 and sets pg_port. A port free now may be taken before the server binds it (tests run
# side by side): another is tried.
pg_start() {
  local data=$1 sockets=$2
  shift 2
  local _
  for _ in 1 2 3 4 5; do
    pg_port=$(pg_free_port)
    if "${pg_as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$data.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$sockets $*" \
      start >/dev/null; then
      return 0
    fi
  done
  echo "the PostgreSQL server in $data did not start:" >&2
  tail -n 20 "$data.log" >&2
  return 1
}

# pg_stop DATA: stops at once, if it runs.
pg_stop() {
  "${pg_as_owner[@]}" "$pg_bin/pg_ctl" -D "$1" -m immediate stop >/dev/null 2>&1 || true
}
