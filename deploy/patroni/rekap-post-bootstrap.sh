#!/bin/sh
# Patroni runs this once, on the member that creates the cluster, right after initdb (the
# post_bootstrap setting of deploy/patroni/db-*.yml), as the postgres user. $1 is a connection
# string for the new cluster's superuser. It creates rekap's role and database; rekap creates
# its tables itself on first use (docs/operations.md, "Schema").
#
# The role's password comes from REKAP_DB_PASSWORD, which the patroni@ unit reads from
# /etc/patroni/env.conf. It goes to the server through a psql variable, so it appears in no
# command line and no log. Installed as /etc/patroni/rekap-post-bootstrap.sh, mode 0755.
#
# A failure here fails the bootstrap: Patroni stops and removes the new data directory, logs
# "post_init script ... returned non-zero code", and tries again at its next start.
set -eu

if [ -z "${REKAP_DB_PASSWORD:-}" ]; then
  echo "rekap-post-bootstrap: REKAP_DB_PASSWORD is not set (put it in /etc/patroni/env.conf)" >&2
  exit 1
fi

psql "$1" --no-psqlrc -v ON_ERROR_STOP=1 -v pw="$REKAP_DB_PASSWORD" --quiet <<'SQL'
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
CREATE ROLE rekap LOGIN PASSWORD :'pw';
CREATE DATABASE rekap OWNER rekap ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE rekap FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE rekap TO rekap;
SQL
echo "rekap-post-bootstrap: created the role rekap and the database rekap" >&2
