#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: initdb into a temporary directory,
# the server on a free port of 127.0.0.1, stopped and removed when the command ends, however it
# ends. The command finds the server in REKAP_TEST_PG, a libpq keyword string for the superuser
# "postgres" on database "postgres"; nothing needs to run beforehand. Local and loopback
# connections are trusted, except for the role rekap_password_test, which must give its
# password (the store's tests of a failed authentication). As root, the server runs as the
# postgres user, since initdb refuses root.
#
#   tests/pg/with-postgres.sh build/dev/tests/unit_tests --gtest_filter='Postgres*'
set -euo pipefail

bin=${REKAP_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: no $bin/initdb; install postgresql-15 (scripts/setup.sh)" >&2
  exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/rekap-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
printf '%s\n' \
  'local all all trust' \
  'host all rekap_password_test 127.0.0.1/32 scram-sha-256' \
  'host all all 127.0.0.1/32 trust' |
  "${as_owner[@]}" tee "$dir/data/pg_hba.conf" >/dev/null

# A port free now may be taken before the server binds it (tests run side by side): try again
# with another.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
started=""
for _ in 1 2 3 4 5; do
  port=$(free_port)
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" \
    start >/dev/null; then
    started=yes
    break
  fi
done
if [ -z "$started" ]; then
  echo "with-postgres: the server did not start:" >&2
  tail -n 20 "$dir/server.log" >&2
  exit 1
fi

export REKAP_TEST_PG="host=127.0.0.1 port=$port dbname=postgres user=postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $REKAP_TEST_PG" >&2
"$@"
