#!/usr/bin/env bash
# The failover rehearsal of several nodes, on one machine: two PostgreSQL clusters on loopback
# (a primary, and a synchronous standby made with pg_basebackup -R) and three `rekap serve`
# nodes sharing them through a multi-host connection string. While `rekap sim run` submits
# through all three nodes with every fault, the sequencer node is killed (kill -9), the next
# one is paused for longer than its lease and resumed, and the PostgreSQL primary is killed and
# the standby promoted. A node that exits is started again, as systemd would. At the end:
# every acknowledged statement is in the log at its index (`rekap verify --receipts` from the
# genesis), a witness that cosigned before the faults cosigns after them (no fork), the
# witness the sequencers push to (rekap witness serve) cosigned the last checkpoint and every
# node serves its cosignature, the totals are exact against the simulator's ground truth, and
# every node publishes the same results.
#
#   tests/cluster/failover.sh build/dev/src/rekap [ARTIFACTS_DIR]
set -uo pipefail

rekap=$(realpath "$1")
artifacts=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/postgres.sh
. "$here/../lib/postgres.sh"
pg_check || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rekap-failover.XXXXXX")
pg_own "$tmp"
declare -A node_port
sim_pid=
supervisor_pid=
witness_serve_pid=

# A node's process, as the last start wrote it.
pid_of() { cat "$tmp/$1.pid" 2>/dev/null; }

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  [ -n "$supervisor_pid" ] && kill "$supervisor_pid" 2>/dev/null && wait "$supervisor_pid" 2>/dev/null
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
  [ -n "$witness_serve_pid" ] && kill "$witness_serve_pid" 2>/dev/null
  for n in a b c; do
    pid=$(pid_of "$n") && kill -9 "$pid" 2>/dev/null
  done
  pg_stop "$tmp/p1"
  pg_stop "$tmp/p2"
  if [ -n "$artifacts" ]; then
    mkdir -p "$artifacts"
    cp "$tmp"/*.log "$tmp"/*.txt "$artifacts"/ 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'fail "interrupted"' TERM INT

fail() {
  echo "failover: FAILED: $*" >&2
  for n in a b c; do
    echo "--- node $n (last 15 lines)" >&2
    tail -n 15 "$tmp/node-$n.log" >&2
  done
  exit 1
}
step() { echo "failover: $(date +%T) $*"; }

health() { curl -s -m 2 "http://127.0.0.1:${node_port[$1]}/api/v1/health"; }
role_of() { health "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["role"])' 2>/dev/null; }
sequencer() {
  for n in a b c; do
    [ "$(role_of "$n")" = sequencer ] && echo "$n" && return 0
  done
  return 1
}

# --- PostgreSQL: a primary and its synchronous standby.
hba=('local all all trust' 'host all all 127.0.0.1/32 trust' 'host replication all 127.0.0.1/32 trust')
pg_init "$tmp/p1" "${hba[@]}" || fail "initdb"
pg_start "$tmp/p1" "$tmp" -c synchronous_standby_names=standby -c wal_keep_size=256MB ||
  fail "primary did not start"
p1=$pg_port
"${pg_as_owner[@]}" "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$tmp/p2" -R \
  -X stream >"$tmp/basebackup.log" 2>&1 || fail "pg_basebackup: $(cat "$tmp/basebackup.log")"
echo "primary_conninfo = 'host=127.0.0.1 port=$p1 user=postgres application_name=standby'" |
  "${pg_as_owner[@]}" tee -a "$tmp/p2/postgresql.auto.conf" >/dev/null
pg_start "$tmp/p2" "$tmp" || fail "standby did not start"
p2=$pg_port
for _ in $(seq 1 100); do
  state=$(psql -Atq "host=127.0.0.1 port=$p1 user=postgres dbname=postgres" \
    -c "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby'")
  [ "$state" = sync ] && break
  sleep 0.1
done
[ "$state" = sync ] || fail "the standby did not become synchronous"
psql -q "host=127.0.0.1 port=$p1 user=postgres dbname=postgres" -c "CREATE DATABASE rekap" ||
  fail "createdb"
store="host=127.0.0.1,127.0.0.1 port=$p1,$p2 dbname=rekap user=postgres target_session_attrs=read-write connect_timeout=2"
step "primary on $p1, synchronous standby on $p2"

# --- The election and three nodes.
"$rekap" sim geo --scale small --out "$tmp/def" >/dev/null || fail "sim geo"
"$rekap" init --data "$tmp/a" --def "$tmp/def" --store "$store" >"$tmp/init.log" 2>&1 ||
  fail "init: $(cat "$tmp/init.log")"
for n in b c; do
  mkdir "$tmp/$n" && cp "$tmp/a/log.key" "$tmp/$n/"
done

# A witness the sequencer pushes each checkpoint to (c2sp.org/tlog-witness), and one that
# pulls the log's checkpoint from a node now and then.
"$rekap" keygen --out "$tmp/witness.key" >/dev/null || fail "keygen"
witness_vkey=$("$rekap" witness key --key "$tmp/witness.key" --name witness.test/w) ||
  fail "witness key"
witness_port=$(pg_free_port)
"$rekap" witness serve --key "$tmp/witness.key" --name witness.test/w --state "$tmp/pushed.state" \
  --log "$(cat "$tmp/a/log.vkey")" --listen "127.0.0.1:$witness_port" >"$tmp/witness-serve.log" 2>&1 &
witness_serve_pid=$!

start_node() {
  local n=$1
  [ -n "${node_port[$n]:-}" ] || node_port[$n]=$(pg_free_port)
  "$rekap" serve --data "$tmp/$n" --store "$store" --node "$n" \
    --witness "$witness_vkey http://127.0.0.1:$witness_port" \
    --listen "127.0.0.1:${node_port[$n]}" --checkpoint-ms 200 --threads 2 \
    >>"$tmp/node-$n.log" 2>&1 &
  echo $! >"$tmp/$n.pid"
  disown $!
}
for n in a b c; do start_node "$n"; done
for _ in $(seq 1 300); do
  up=0
  for n in a b c; do health "$n" >/dev/null && up=$((up + 1)); done
  [ $up -eq 3 ] && break
  sleep 0.1
done
[ $up -eq 3 ] || fail "the nodes did not start"
urls=()
for n in a b c; do urls+=(--url "http://127.0.0.1:${node_port[$n]}"); done

# A node that exits (killed, or fenced out and restarting) is started again, as systemd would.
supervisor() {
  while true; do
    for n in a b c; do
      if ! kill -0 "$(pid_of "$n")" 2>/dev/null; then
        echo "=== restarted $(date +%T)" >>"$tmp/node-$n.log"
        echo "$n" >>"$tmp/restarts.txt"
        start_node "$n"
      fi
    done
    sleep 0.3
  done
}

witness=("$rekap" witness pull --url "http://127.0.0.1:${node_port[a]}" --log "$(cat "$tmp/a/log.vkey")"
  --key "$tmp/witness.key" --name witness.test/pull --state "$tmp/witness.state")

step "sim run through a, b, c with every fault"
timeout 200 "$rekap" sim run "${urls[@]}" --def "$tmp/def" --admin-key "$tmp/a/admin.key" --clients 6 \
  --rate 30 --faults drop,duplicate,reorder,correct,bad --attempts 400 \
  --receipts "$tmp/receipts.txt" >"$tmp/sim.txt" 2>"$tmp/sim.log" &
sim_pid=$!
sleep 4
"${witness[@]}" >"$tmp/witness-before.log" 2>&1 || fail "the witness did not cosign: $(cat "$tmp/witness-before.log")"

# Fault 1: kill -9 the sequencer; another node must answer within seconds.
victim=$(sequencer) || fail "no node is the sequencer"
kill -9 "$(pid_of "$victim")"
t0=$(date +%s.%N)
took=
for _ in $(seq 1 100); do
  for n in a b c; do
    [ "$n" = "$victim" ] && continue
    if [ "$(role_of "$n")" = sequencer ]; then
      took=$(python3 -c "import time; print(round(time.time() - $t0, 2))")
      break 2
    fi
  done
  sleep 0.05
done
[ -n "$took" ] || fail "no node took over from $victim"
step "kill -9 of sequencer $victim: another node sequenced after $took s" | tee "$tmp/takeover.txt"
supervisor &
supervisor_pid=$!
sleep 4

# Fault 2: pause the sequencer for longer than its lease (3 s), then resume it.
paused=$(sequencer) || fail "no sequencer to pause"
kill -STOP "$(pid_of "$paused")"
sleep 6
new=$(sequencer) || fail "no node took over while $paused was paused"
[ "$new" != "$paused" ] || fail "$paused kept its lease while paused"
kill -CONT "$(pid_of "$paused")"
step "paused sequencer $paused for 6 s: $new took over; $paused resumed"
sleep 4

# Fault 3: kill -9 the PostgreSQL primary, promote the standby.
primary_pid=$(head -1 "$tmp/p1/postmaster.pid")
kill -9 "$primary_pid"
"${pg_as_owner[@]}" "$pg_bin/pg_ctl" -D "$tmp/p2" -w promote >/dev/null || fail "promote"
step "killed the primary, promoted the standby"

wait "$sim_pid"
sim_status=$?
sim_pid=
step "sim run ended ($sim_status)"
cat "$tmp/sim.txt"
[ $sim_status -eq 0 ] || fail "sim run: $(tail -5 "$tmp/sim.log")"

# --- Every node caught up, and publishes the same.
sleep 1
for _ in $(seq 1 100); do
  sizes=$(for n in a b c; do health "$n" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["statements"], d["behind"])' 2>/dev/null; done | sort -u)
  [ "$(echo "$sizes" | wc -l)" -eq 1 ] && [ "${sizes#* }" = 0 ] && break
  sleep 0.2
done
kill "$supervisor_pid" 2>/dev/null
wait "$supervisor_pid" 2>/dev/null
supervisor_pid=
step "log size on every node: $sizes"
[ "$(echo "$sizes" | wc -l)" -eq 1 ] || fail "the nodes disagree on the log: $sizes"
# The pushed witness's cosignature reaches every node through the store (within a few rounds).
for _ in $(seq 1 50); do
  cosigned=$(for n in a b c; do curl -s "http://127.0.0.1:${node_port[$n]}/log/checkpoint"; done |
    grep -c "^— witness.test/w ")
  [ "$cosigned" -eq 3 ] && break
  sleep 0.2
done
[ "$cosigned" -eq 3 ] || fail "only $cosigned of 3 nodes serve the pushed witness's cosignature: $(tail -5 "$tmp/witness-serve.log")"
step "every node serves the pushed witness's cosignature"
for path in /api/v1/results/dpr_ri /api/v1/results/ppwp /log/checkpoint /api/v1/regions; do
  sums=$(for n in a b c; do curl -s "http://127.0.0.1:${node_port[$n]}$path" | md5sum; done | sort -u | wc -l)
  [ "$sums" -eq 1 ] || fail "the nodes publish different $path"
done

for n in a b c; do
  "$rekap" verify --url "http://127.0.0.1:${node_port[$n]}" --log-key "$(cat "$tmp/a/log.vkey")" \
    --receipts "$tmp/receipts.txt" >"$tmp/verify-$n.txt" 2>&1 ||
    fail "verify at $n: $(cat "$tmp/verify-$n.txt")"
done
grep -E "receipts|verdict" "$tmp/verify-a.txt"
"${witness[@]}" >"$tmp/witness-after.log" 2>&1 ||
  fail "the witness refused the log after the faults: $(cat "$tmp/witness-after.log")"
step "the witness cosigned after the faults; nodes restarted: $(sort "$tmp/restarts.txt" 2>/dev/null | uniq -c | tr -s ' \n' ' ')"
echo "failover: OK"
