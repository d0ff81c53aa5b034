#!/usr/bin/env bash
# The store side by side in one run, on this machine: the same simulated election ingested over
# HTTP (signed results, durable acknowledgement, presigned so that the server alone is timed)
# by one node on SQLite, one node on PostgreSQL, and two nodes sharing one PostgreSQL (the
# clients spread over both). PostgreSQL is a throwaway 15 cluster on loopback (fsync on,
# synchronous_commit on), on the same cores as rekap and the clients. Then, on the quiet two-node
# system, how long a statement the sequencer acknowledged takes to reach the follower's reads.
# Usage: bench/cluster/run.sh [scale=medium] [clients=32]   (REKAP_BIN=path: that binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-medium}
clients=${2:-32}
. tests/lib/postgres.sh
pg_check

if [ -n "${REKAP_BIN:-}" ]; then
  rekap=$(realpath "$REKAP_BIN")
else
  scripts/setup.sh
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build build/release --target rekap
  rekap=$PWD/build/release/src/rekap
fi
work=$(mktemp -d)
pg_own "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
pg_init "$work/pg" 'local all all trust' 'host all all 127.0.0.1/32 trust'
pg_start "$work/pg" "$work"
pg="host=127.0.0.1 port=$pg_port user=postgres"
"$rekap" --log-level warn sim geo --scale "$scale" --out "$work/def"

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== commit $(git rev-parse --short HEAD), scale $scale, $clients clients, PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')"

# serve NAME DATA [STORE]: a node in the background; sets node_url.
serve() {
  local name=$1 data=$2 store=${3:-}
  local args=(--data "$data" --listen 127.0.0.1:0 --node "$name")
  [ -n "$store" ] && args+=(--store "$store")
  "$rekap" --log-level warn serve "${args[@]}" >"$work/$name.log" 2>&1 &
  pids+=($!)
  node_url=
  for _ in $(seq 1 600); do
    node_url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/$name.log")
    [ -n "$node_url" ] && return 0
    sleep 0.1
  done
  echo "node $name did not start: $(cat "$work/$name.log")" >&2
  exit 1
}

# run LABEL DATA URL...: the ingest through those URLs; prints one line.
run() {
  local label=$1 data=$2
  shift 2
  local urls=()
  for u in "$@"; do urls+=(--url "$u"); done
  "$rekap" --log-level warn sim run "${urls[@]}" --def "$work/def" --admin-key "$data/admin.key" \
    --clients "$clients" --presign --json >"$work/$label.json"
  python3 - "$label" "$work/$label.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
print(f"{sys.argv[1]:<28} {r['results']:>8} results  {r['results_per_second']:>8.0f} results/s  "
      f"p50 {r['latency_ms']['p50']:.1f} ms  p99 {r['latency_ms']['p99']:.1f} ms  "
      f"totals {'exact' if r['ok'] else 'WRONG'}")
PY
}

stop_nodes() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

echo "== ingest"
"$rekap" --log-level warn init --data "$work/sqlite" --def "$work/def" >/dev/null
serve sqlite "$work/sqlite"
run "sqlite, one node" "$work/sqlite" "$node_url"
stop_nodes

psql -q "$pg dbname=postgres" -c "CREATE DATABASE one" -c "CREATE DATABASE two"
"$rekap" --log-level warn init --data "$work/pg1" --def "$work/def" --store "$pg dbname=one" >/dev/null
serve pg1 "$work/pg1" "$pg dbname=one"
run "postgresql, one node" "$work/pg1" "$node_url"
stop_nodes

"$rekap" --log-level warn init --data "$work/pg2a" --def "$work/def" --store "$pg dbname=two" >/dev/null
mkdir "$work/pg2b" && cp "$work/pg2a/log.key" "$work/pg2b/"
serve pg2a "$work/pg2a" "$pg dbname=two"
a=$node_url
serve pg2b "$work/pg2b" "$pg dbname=two"
run "postgresql, two nodes" "$work/pg2a" "$a" "$node_url"
curl -s "$a/api/v1/health"; echo
curl -s "$node_url/api/v1/health"; echo

# On the quiet system: one statement at a time acknowledged by the sequencer (the first node),
# then the time until the follower's reads show it (its health counts the statements it holds).
echo "== follower lag (one statement at a time on a quiet system)"
statements() { curl -s "$1/api/v1/health" | sed -n 's/.*"statements":\([0-9]*\).*/\1/p'; }
# Quiet: both nodes have published what the ingest changed (their CPU time stands still).
cpu() { for p in "${pids[@]}"; do awk '{print $14 + $15}' "/proc/$p/stat"; done | paste -sd+ | bc; }
quiet_since=$SECONDS
quiet() { local before; before=$(cpu); sleep 1; [ $(($(cpu) - before)) -le 2 ]; }
until quiet || [ $((SECONDS - quiet_since)) -gt 300 ]; do :; done
echo "nodes idle $((SECONDS - quiet_since)) s after the ingest"
tps=$(sed -n 2p "$work/def/tps.csv" | cut -d, -f1)
lags=()
for i in $(seq 1 20); do
  "$rekap" --log-level warn keygen --out "$work/lag$i.key" >/dev/null
  "$rekap" --log-level warn enroll --url "$a" --admin-key "$work/pg2a/admin.key" \
    --key "$work/lag$i.key.pub" --role kpps --scope "$tps" >/dev/null
  acked=$(date +%s%N)
  want=$(statements "$a")
  until [ "$(statements "$node_url")" -ge "$want" ]; do sleep 0.005; done
  lags+=($((($(date +%s%N) - acked) / 1000000)))
  sleep 0.5
done
printf '%s\n' "${lags[@]}" | sort -n | awk '{v[NR]=$1} END {printf "follower lag over %d statements: p50 %d ms, max %d ms\n", NR, v[int((NR+1)/2)], v[NR]}'
stop_nodes
