#!/usr/bin/env bash
# A failover rehearsal of rekap's database layer on this one machine, on loopback, from the
# files shipped under deploy/:
#
#   1. three etcd members from deploy/etcd/{db-a,db-b,arbiter}.env, two Patroni-managed
#      PostgreSQL 15 clusters from deploy/patroni/{db-a,db-b}.yml, haproxy from
#      deploy/haproxy/haproxy.cfg, the secrets from deploy/patroni/env.conf.example (each
#      CHANGE-ME replaced by a random password). The files are rewritten by sed for loopback:
#      every site address and port becomes 127.0.0.1 and a free port, every path one under a
#      temporary directory; nothing else changes, and a line the rewrite does not know stops
#      the rehearsal;
#   2. waits for a leader and a synchronous standby (patronictl list, and
#      pg_stat_replication.sync_state = 'sync' on the primary), writes a row through the
#      multi-host connection string and one through haproxy, as the role rekap;
#   3. kills the primary's Patroni and PostgreSQL with SIGKILL (a machine that loses power),
#      and measures how long until the multi-host string, and haproxy, reach the promoted
#      standby;
#   4. writes again. With synchronous_mode_strict (the shipped setting) that write must WAIT:
#      the promoted node has no standby to hold a second copy. The old primary's Patroni is
#      started again (the machine comes back); it rejoins as the synchronous standby (pg_rewind)
#      and the waiting write is acknowledged. Without strict mode the write goes through at
#      once;
#   5. (strict mode) kills the standby, checks that a write waits, turns synchronous mode off
#      with `patronictl edit-config` as an operator would (docs/deployment.md), sees the write
#      acknowledged, brings the standby back, turns synchronous mode on, and writes once more;
#   6. switches the primary back with `patronictl switchover` (through Patroni's REST API, with
#      the credentials of env.conf) and writes again;
#   7. checks that every acknowledged row is on both machines.
#
# Prints the times it measured. Stops and removes everything however it ends (REKAP_REHEARSE_KEEP=1
# keeps the directory, with every log). Installs nothing: it names the Debian package of any
# program it lacks and exits 1. As root, PostgreSQL, Patroni, etcd and haproxy run as the
# postgres user (initdb refuses root). Takes about a minute.
#
#   tests/deploy/rehearse.sh
set -euo pipefail
export LC_NUMERIC=C # EPOCHREALTIME with a decimal point

root=$(cd "$(dirname "$0")/../.." && pwd)
deploy=$root/deploy
bin=${REKAP_PG_BIN:-/usr/lib/postgresql/15/bin}
py=/usr/bin/python3

t_script=$EPOCHREALTIME
say() { printf 'rehearse: %6s  %s\n' "$(awk -v a="$t_script" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" "$*"; }
die() {
  echo "rehearse: FAIL: $*" >&2
  exit 1
}

# --- the programs, or the Debian packages that have them -------------------------------------
missing=()
need() { command -v "$1" >/dev/null || missing+=("$2"); }
need patroni patroni
need patronictl patroni
need etcd etcd-server
need etcdctl etcd-client
need haproxy haproxy
need psql postgresql-client-15
need setpriv util-linux
need "$py" python3
[ -x "$bin/initdb" ] && [ -x "$bin/pg_rewind" ] || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  echo "rehearse: missing Debian packages: ${missing[*]} (apt-get install ${missing[*]}, or scripts/setup.sh)" >&2
  exit 1
fi

nodes=(db-a db-b)
members=(db-a db-b arbiter)
# Each machine's address, as its etcd member listens on it (10.0.0.11-13 as shipped).
declare -A ip=()
for m in "${members[@]}"; do
  ip[$m]=$(sed -nE 's#^ETCD_LISTEN_PEER_URLS="http://([0-9.]+):2380"$#\1#p' "$deploy/etcd/$m.env")
  [ -n "${ip[$m]}" ] || die "deploy/etcd/$m.env: no ETCD_LISTEN_PEER_URLS=\"http://ADDRESS:2380\""
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/rekap-rehearse.XXXXXX")
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

declare -A pid=() # what this script started: etcd-*, patroni-*, haproxy, writer-*

logs_on_failure() {
  for f in "$dir"/*.log "$dir"/*/log/*.log; do
    [ -f "$f" ] || continue
    echo "----- ${f#"$dir"/} (last lines)" >&2
    tail -n 25 "$f" >&2
  done
}
stop_pg() { # NODE: PostgreSQL of NODE, however it was left
  [ -f "$dir/$1/data/postmaster.pid" ] &&
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/$1/data" -m immediate -t 10 stop >/dev/null 2>&1 || true
}
children_of() { ps -o pid= --ppid "$1" 2>/dev/null || true; }
cleanup() {
  local rc=$? k n
  trap - EXIT INT TERM
  set +e
  [ "$rc" -eq 0 ] || logs_on_failure
  {
    # shellcheck disable=SC2046
    [ -z "${watchdog:-}" ] || kill $(children_of "$watchdog") "$watchdog"
    for k in "${!pid[@]}"; do [[ $k == writer-* ]] && kill "${pid[$k]}"; done
    for n in "${nodes[@]}"; do [ -n "${pid[patroni-$n]:-}" ] && kill -9 "${pid[patroni-$n]}"; done
    for n in "${nodes[@]}"; do stop_pg "$n"; done
    # etcd and haproxy hold nothing worth a clean stop here.
    for k in haproxy etcd-db-a etcd-db-b etcd-arbiter; do [ -n "${pid[$k]:-}" ] && kill -9 "${pid[$k]}"; done
    for k in "${!pid[@]}"; do wait "${pid[$k]}"; done
  } 2>/dev/null
  if [ "${REKAP_REHEARSE_KEEP:-}" = 1 ]; then say "kept $dir"; else rm -rf "$dir"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# However long the waits below add up to, stop (and clean up) after REKAP_REHEARSE_LIMIT
# seconds, before a test runner's own timeout would kill this script without its cleanup: TERM
# to this script, then to what it is waiting for (a trap runs only once that returns).
limit=${REKAP_REHEARSE_LIMIT:-240}
main=$$
(
  sleep "$limit"
  echo "rehearse: FAIL: still running after $limit s; stopping" >&2
  kill -TERM "$main"
  sleep 1
  # shellcheck disable=SC2046
  kill -TERM $(ps -o pid= --ppid "$main") 2>/dev/null
) &
watchdog=$!

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- free loopback ports: PostgreSQL and REST per node, client and peer per etcd member, haproxy
read -r -a ports < <("$py" -c '
import socket
ss = [socket.socket() for _ in range(12)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
declare -A pgport=([db-a]=${ports[0]} [db-b]=${ports[1]})
declare -A apiport=([db-a]=${ports[2]} [db-b]=${ports[3]})
declare -A etcdclient=([db-a]=${ports[4]} [db-b]=${ports[5]} [arbiter]=${ports[6]})
declare -A etcdpeer=([db-a]=${ports[7]} [db-b]=${ports[8]} [arbiter]=${ports[9]})
haport=${ports[10]}
statsport=${ports[11]}

# Every site address:port of every machine, as sed expressions.
site=()
addresses="" # the site addresses, as one extended regular expression
for m in "${members[@]}"; do
  i=${ip[$m]//./\\.}
  site+=(-e "s#$i:2379#127.0.0.1:${etcdclient[$m]}#g" -e "s#$i:2380#127.0.0.1:${etcdpeer[$m]}#g")
  if [ -n "${pgport[$m]:-}" ]; then
    site+=(-e "s#$i:5432#127.0.0.1:${pgport[$m]}#g" -e "s#$i:8008#127.0.0.1:${apiport[$m]}#g")
  fi
  site+=(-e "s#$i/32#127.0.0.1/32#g") # pg_hba
  addresses=${addresses:+$addresses|}$i
done
# What a rewritten file may not contain any more: a site address, a system path, a wildcard.
leftovers() { # FILE
  if sed "s#$dir##g; s#$bin##g" "$1" | grep -nE "$addresses|0\.0\.0\.0|\*:|/var/|/etc/|/run/|/usr/" | grep -vE '^[0-9]+:\s*#'; then
    die "${1#"$dir"/}: the lines above were not rewritten for loopback (tests/deploy/rehearse.sh needs to learn them)"
  fi
}

# --- secrets: deploy/patroni/env.conf.example, every CHANGE-ME a random password --------------
while IFS= read -r line; do
  if [[ $line =~ ^([A-Z_]+)=CHANGE-ME ]]; then
    echo "${BASH_REMATCH[1]}=$("$py" -c 'import secrets; print(secrets.token_urlsafe(18))')"
  else
    echo "$line"
  fi
done <"$deploy/patroni/env.conf.example" >"$dir/env.conf"
grep -q "^[^#]*CHANGE-ME" "$dir/env.conf" && die "env.conf: a CHANGE-ME was left"
set -a
# shellcheck disable=SC1091
. "$dir/env.conf"
set +a
rekap_password=$REKAP_DB_PASSWORD
superuser_password=$PATRONI_SUPERUSER_PASSWORD

# --- etcd: three members -------------------------------------------------------------------------
for m in "${members[@]}"; do
  sed "${site[@]}" -e "s#/var/lib/etcd/rekap#$dir/etcd-$m#" "$deploy/etcd/$m.env" >"$dir/etcd-$m.env"
  leftovers "$dir/etcd-$m.env"
done
[ ${#as_owner[@]} -eq 0 ] || chown -R postgres: "$dir"
for m in "${members[@]}"; do
  (
    set -a
    # shellcheck disable=SC1090
    . "$dir/etcd-$m.env"
    exec "${as_owner[@]}" etcd
  ) >"$dir/etcd-$m.log" 2>&1 &
  pid[etcd-$m]=$!
done
endpoints=127.0.0.1:${etcdclient[db-a]},127.0.0.1:${etcdclient[db-b]},127.0.0.1:${etcdclient[arbiter]}
deadline=$((SECONDS + 30))
until ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --dial-timeout=1s endpoint health >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || die "etcd did not become healthy in 30 s"
  for m in "${members[@]}"; do kill -0 "${pid[etcd-$m]}" 2>/dev/null || die "etcd $m exited"; done
  sleep 0.3
done
say "etcd: three members healthy ($endpoints)"

# --- Patroni and PostgreSQL: db-a and db-b -------------------------------------------------------
cp "$deploy/patroni/rekap-post-bootstrap.sh" "$dir/rekap-post-bootstrap.sh"
for n in "${nodes[@]}"; do
  mkdir -p "$dir/$n/log"
  sed "${site[@]}" \
    -e "s#^  listen: 0\.0\.0\.0:5432\$#  listen: 127.0.0.1:${pgport[$n]}#" \
    -e "s#^  listen: 0\.0\.0\.0:8008\$#  listen: 127.0.0.1:${apiport[$n]}#" \
    -e "s#/var/lib/postgresql/15/main#$dir/$n/data#" \
    -e "s#/usr/lib/postgresql/15/bin#$bin#" \
    -e "s#/var/lib/postgresql/15-main\.pgpass#$dir/$n/pgpass#" \
    -e "s#/var/run/postgresql#$dir/$n#" \
    -e "s#/var/log/postgresql#$dir/$n/log#" \
    -e "s#/etc/patroni/rekap-post-bootstrap\.sh#$dir/rekap-post-bootstrap.sh#" \
    "$deploy/patroni/$n.yml" >"$dir/$n.yml"
  if [ ${#as_owner[@]} -eq 0 ] && [ "$(id -un)" != postgres ]; then
    # Not root: PostgreSQL runs as this user, not postgres, so the superuser's local line
    # cannot be peer; Patroni gives its password instead.
    sed -i 's#^\(\s*- local all postgres\) peer#\1 scram-sha-256#' "$dir/$n.yml"
  fi
  leftovers "$dir/$n.yml"
done
[ ${#as_owner[@]} -eq 0 ] || chown -R postgres: "$dir"
start_patroni() { # NODE
  HOME=$dir "${as_owner[@]}" patroni "$dir/$1.yml" >>"$dir/patroni-$1.log" 2>&1 &
  pid[patroni-$1]=$!
}
for n in "${nodes[@]}"; do start_patroni "$n"; done

# --- haproxy -----------------------------------------------------------------------------------
sed "${site[@]}" \
  -e "/^\s*\(user\|group\|daemon\)\b/d" \
  -e "s#^\(\s*log\) /dev/log .*#\1 stdout format raw local0#" \
  -e "s#/run/haproxy/admin\.sock#$dir/haproxy.sock#" \
  -e "s#bind 127\.0\.0\.1:5000#bind 127.0.0.1:$haport#" \
  -e "s#bind \*:7000#bind 127.0.0.1:$statsport#" \
  -e "/server db-a /s#check port 8008#check port ${apiport[db-a]}#" \
  -e "/server db-b /s#check port 8008#check port ${apiport[db-b]}#" \
  "$deploy/haproxy/haproxy.cfg" >"$dir/haproxy.cfg"
leftovers "$dir/haproxy.cfg"
grep -q "check port 8008" "$dir/haproxy.cfg" && die "haproxy.cfg: a server's check port was not rewritten"
"${as_owner[@]}" haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
pid[haproxy]=$!

# SQL as the superuser on NODE's local socket; as the role rekap through a connection string.
su_sql() { # NODE SQL
  PGPASSWORD=$superuser_password PGCONNECT_TIMEOUT=2 "${as_owner[@]}" psql -XAtq -h "$dir/$1" -p "${pgport[$1]}" \
    -U postgres -d postgres -c "$2" 2>/dev/null
}
rekap_sql() { # CONNSTRING SQL
  PGPASSWORD=$rekap_password psql -XAtq -d "$1" -c "$2"
}
multihost="host=127.0.0.1,127.0.0.1 port=${pgport[db-a]},${pgport[db-b]} dbname=rekap user=rekap target_session_attrs=read-write connect_timeout=2"
via_haproxy="host=127.0.0.1 port=$haport dbname=rekap user=rekap connect_timeout=2"
patronictl_() { HOME=$dir patronictl -c "$dir/db-a.yml" "$@" 2>>"$dir/patronictl.log"; }
primary_node() { # the node whose PostgreSQL takes writes, or nothing
  local n
  for n in "${nodes[@]}"; do
    [ "$(su_sql "$n" 'select pg_is_in_recovery()')" = f ] && echo "$n" && return
  done
  return 0
}
wait_sync() { # PRIMARY STANDBY SECONDS: until STANDBY is PRIMARY's synchronous standby, for
  # PostgreSQL (pg_stat_replication.sync_state) and for Patroni (its sync key in etcd, which
  # names the standby that may be promoted). In strict mode PostgreSQL calls any standby
  # synchronous ('*') before Patroni has named it, so both are needed.
  local deadline=$((SECONDS + $3)) n
  until [ "$(su_sql "$1" "select sync_state from pg_stat_replication where application_name = '$2'")" = sync ] &&
    [ "$(sync_key)" = "$1 $2" ]; do
    [ $SECONDS -lt "$deadline" ] || die "$2 did not become $1's synchronous standby in $3 s (sync key: $(sync_key))"
    for n in "${nodes[@]}"; do
      [ -z "${pid[patroni-$n]:-}" ] || kill -0 "${pid[patroni-$n]}" 2>/dev/null || die "Patroni $n exited"
    done
    sleep 0.3
  done
}
sync_key() { # "LEADER SYNC_STANDBY" from Patroni's sync key in etcd
  ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --dial-timeout=1s get --print-value-only "${namespace%/}/$scope/sync" 2>/dev/null |
    sed -nE 's/.*"leader": *"([^"]*)".*"sync_standby": *"([^"]*)".*/\1 \2/p'
}
show_members() { # the members as patronictl sees them: "name role state" lines
  patronictl_ list -f json | "$py" -c '
import json, sys
for m in json.load(sys.stdin): print(m["Member"], m["Role"].replace(" ", "-"), m["State"])'
}
read -r strict namespace scope < <("$py" -c '
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
print("true" if c["bootstrap"]["dcs"].get("synchronous_mode_strict") else "false", c.get("namespace", "/service/"), c["scope"])' \
  "$deploy/patroni/db-a.yml")

t_start=$(now)
deadline=$((SECONDS + 60))
primary=""
while [ -z "$primary" ]; do
  [ $SECONDS -lt $deadline ] || die "no primary in 60 s"
  for n in "${nodes[@]}"; do kill -0 "${pid[patroni-$n]}" 2>/dev/null || die "Patroni $n exited"; done
  sleep 0.5
  primary=$(primary_node)
done
standby=db-a
[ "$primary" = db-a ] && standby=db-b
wait_sync "$primary" "$standby" 60
members_now=$(show_members)
grep -qx "$primary Leader running" <<<"$members_now" && grep -qxE "$standby Sync-Standby (running|streaming)" <<<"$members_now" ||
  die "patronictl list does not show $primary as the running Leader and $standby as Sync Standby:
$members_now"
say "cluster up in $(since "$t_start") s: $primary leader, $standby synchronous standby (pg_stat_replication.sync_state = 'sync')"
patronictl_ list | sed 's/^/  /'

# --- writes before the failover ------------------------------------------------------------------
rekap_sql "$multihost" "create table rehearsal (id int primary key, via text not null, at timestamptz not null default now())" ||
  die "cannot write as rekap through $multihost"
rekap_sql "$multihost" "insert into rehearsal (id, via) values (1, 'multi-host string, before the failover')"
deadline=$((SECONDS + 15))
until rekap_sql "$via_haproxy" "insert into rehearsal (id, via) values (2, 'haproxy, before the failover')" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "no write through haproxy in 15 s"
  sleep 0.3
done
say "rows 1 (multi-host string) and 2 (haproxy) written on $primary, acknowledged by $standby"

# --- the primary's machine dies --------------------------------------------------------------------
kill_node() { # NODE: SIGKILL to its Patroni, its postmaster and every PostgreSQL process
  local n=$1 pm children
  kill -9 "${pid[patroni-$n]}"
  wait "${pid[patroni-$n]}" 2>/dev/null || true
  unset "pid[patroni-$n]"
  pm=$(head -n 1 "$dir/$n/data/postmaster.pid")
  children=$(ps -o pid= --ppid "$pm" || true)
  # shellcheck disable=SC2086
  kill -9 "$pm" $children 2>/dev/null || true
  while kill -0 "$pm" 2>/dev/null; do sleep 0.05; done
}
old=$primary
new=$standby
killed=$old promoted=$new
t_kill=$(now)
kill_node "$old"
say "killed Patroni and PostgreSQL of $old (SIGKILL) at 0.0 s"

seen_multihost="" seen_haproxy=""
deadline=$((SECONDS + 45))
while [ -z "$seen_multihost" ] || [ -z "$seen_haproxy" ]; do
  [ $SECONDS -lt $deadline ] || die "after 45 s: multi-host string ${seen_multihost:-not yet}, haproxy ${seen_haproxy:-not yet}"
  if [ -z "$seen_multihost" ] && [ "$(rekap_sql "$multihost" 'select pg_is_in_recovery()' 2>/dev/null)" = f ]; then
    seen_multihost=$(since "$t_kill")
    say "multi-host string reaches the promoted $new after $seen_multihost s"
  fi
  if [ -z "$seen_haproxy" ] && [ "$(rekap_sql "$via_haproxy" 'select pg_is_in_recovery()' 2>/dev/null)" = f ]; then
    seen_haproxy=$(since "$t_kill")
    say "haproxy reaches the promoted $new after $seen_haproxy s"
  fi
  sleep 0.25
done

# A write through the same multi-host string, in the background: it may have to wait.
write_bg() { # ID VIA -> pid in writer_pid; output in $dir/writer-ID.out
  rekap_sql "$multihost" "insert into rehearsal (id, via) values ($1, '$2')" >"$dir/writer-$1.out" 2>&1 &
  writer_pid=$!
  pid[writer-$1]=$writer_pid
}
wait_write() { # ID SECONDS: until writer ID has finished, and succeeded
  local deadline=$((SECONDS + $2)) w=${pid[writer-$1]}
  while kill -0 "$w" 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || die "write $1 not acknowledged in $2 s"
    sleep 0.1
  done
  wait "$w" || die "write $1 failed: $(cat "$dir/writer-$1.out")"
  unset "pid[writer-$1]"
}
expect_waiting() { # ID: writer ID is still running, waiting for a synchronous standby
  local w=${pid[writer-$1]}
  sleep 1.5
  kill -0 "$w" 2>/dev/null || die "write $1 was acknowledged with no synchronous standby, yet synchronous_mode_strict is true: $(cat "$dir/writer-$1.out")"
  [ "$(su_sql "$new" "select count(*) from pg_stat_activity where wait_event = 'SyncRep' and usename = 'rekap'")" = 1 ] ||
    die "write $1 is not waiting for synchronous replication (pg_stat_activity)"
}

write_bg 3 "multi-host string, after the failover"
if [ "$strict" = true ]; then
  expect_waiting 3
  say "write 3 waits (wait_event SyncRep): strict mode acknowledges nothing held on one machine"
  t_back=$(now)
  start_patroni "$old"
  say "$old's Patroni started again at $(since "$t_kill") s (the machine is back)"
  wait_write 3 60
  t_write=$(since "$t_kill")
  say "write 3 acknowledged $t_write s after the kill, $(since "$t_back") s after $old came back"
  wait_sync "$new" "$old" 30
else
  wait_write 3 30
  t_write=$(since "$t_kill")
  say "write 3 acknowledged $t_write s after the kill (non-strict: on $new alone)"
  start_patroni "$old"
  wait_sync "$new" "$old" 60
fi
say "$old rejoined as $new's synchronous standby"
grep -q "pg_rewind exit code=0" "$dir/patroni-$old.log" && say "$old was rewound (pg_rewind), not copied again"

# --- the standby's machine dies; the operator relaxes strict mode ----------------------------------
if [ "$strict" = true ]; then
  kill_node "$old"
  say "killed Patroni and PostgreSQL of the standby $old"
  write_bg 4 "multi-host string, standby lost, strict mode relaxed"
  expect_waiting 4
  t_relax=$(now)
  # Patroni 3.0.2 does not release waiting commits when only synchronous_mode_strict is turned
  # off while the standby is already gone; turning synchronous_mode off does.
  patronictl_ edit-config --force -q -s synchronous_mode=false >/dev/null
  wait_write 4 30
  say "write 4 waited; acknowledged on $new alone $(since "$t_relax") s after \`patronictl edit-config -s synchronous_mode=false\`"
  start_patroni "$old"
  deadline=$((SECONDS + 60))
  until [ "$(su_sql "$new" "select state from pg_stat_replication where application_name = '$old'")" = streaming ]; do
    [ $SECONDS -lt $deadline ] || die "$old did not stream from $new again in 60 s"
    sleep 0.5
  done
  patronictl_ edit-config --force -q -s synchronous_mode=true >/dev/null
  wait_sync "$new" "$old" 30
  rekap_sql "$multihost" "insert into rehearsal (id, via) values (5, 'multi-host string, synchronous mode restored')"
  say "$old back, synchronous mode restored, $old synchronous standby again; write 5 acknowledged"
fi

# --- a planned switchover, as an operator runs it before maintenance -----------------------------
t_switch=$(now)
patronictl_ switchover --leader "$new" --candidate "$old" --force >/dev/null ||
  die "patronictl switchover --leader $new --candidate $old failed"
deadline=$((SECONDS + 30))
until [ "$(primary_node)" = "$old" ]; do
  [ $SECONDS -lt $deadline ] || die "switchover: $old is not the primary after 30 s"
  sleep 0.3
done
rekap_sql "$multihost" "insert into rehearsal (id, via) values (6, 'multi-host string, after the switchover')"
t_switched=$(since "$t_switch")
wait_sync "$old" "$new" 30
say "switchover with patronictl: $old primary again, write 6 acknowledged $t_switched s after the command; $new its synchronous standby"
tmp=$old old=$new new=$tmp

# --- every acknowledged row on both machines ------------------------------------------------------
want=$(rekap_sql "$multihost" "select string_agg(id::text, ',' order by id) from rehearsal")
expected="1,2,3,6"
[ "$strict" = true ] && expected="1,2,3,4,5,6"
[ "$want" = "$expected" ] || die "rows on the primary $new: $want, expected $expected"
standby_rows=""
deadline=$((SECONDS + 10))
until [ "$standby_rows" = "$want" ]; do
  [ $SECONDS -lt $deadline ] || die "rows on the standby $old: $standby_rows, on the primary: $want"
  sleep 0.2
  standby_rows=$(rekap_sql "host=127.0.0.1 port=${pgport[$old]} dbname=rekap user=rekap connect_timeout=2" \
    "select string_agg(id::text, ',' order by id) from rehearsal" 2>/dev/null || true)
done
say "rows $want on $new (primary) and on $old (standby)"
patronictl_ list | sed 's/^/  /'

echo
say "OK: primary $killed killed; multi-host string on the promoted $promoted after $seen_multihost s, haproxy after $seen_haproxy s;"
if [ "$strict" = true ]; then
  say "    a write through it acknowledged $t_write s after the kill, once $killed was back as synchronous standby (strict mode)"
else
  say "    a write through it acknowledged $t_write s after the kill"
fi
say "total $(since "$t_start") s from the first Patroni start"
