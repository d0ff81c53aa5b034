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
# shellcheck source=../lib/postgres.sh
. "$(dirname "$0")/../lib/postgres.sh"

pg_check || exit 1
dir=$(mktemp -d "${TMPDIR:-/tmp}/rekap-pg.XXXXXX")
pg_own "$dir"
cleanup() {
  pg_stop "$dir/data"
  rm -rf "$dir"
}
trap cleanup EXIT

pg_init "$dir/data" \
  'local all all trust' \
  'host all rekap_password_test 127.0.0.1/32 scram-sha-256' \
  'host all all 127.0.0.1/32 trust'
pg_start "$dir/data" "$dir"

export REKAP_TEST_PG="host=127.0.0.1 port=$pg_port dbname=postgres user=postgres"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') at $REKAP_TEST_PG" >&2
"$@"
