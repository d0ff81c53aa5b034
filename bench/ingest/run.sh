#!/usr/bin/env bash
# Ingest benchmark: signed results over HTTP from concurrent clients against a fresh server
# (release build, embedded SQLite, durable acknowledgement), then the per-step micro benchmark.
# Usage: bench/ingest/run.sh [scale=medium] [clients=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-medium}
clients=${2:-32}

scripts/setup.sh
dpkg-query -W libbenchmark-dev >/dev/null 2>&1 || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq libbenchmark-dev; }
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release --target rekap ingest_micro
rekap=build/release/src/rekap

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$rekap" --log-level warn sim geo --scale "$scale" --out "$work/def"
"$rekap" --log-level warn init --data "$work/data" --def "$work/def" >/dev/null
"$rekap" --log-level warn serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q ' at http://' "$work/serve.log" && break; sleep 0.1; done
url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.log")

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== ingest over HTTP: scale $scale, $clients clients (client and server share the cores)"
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients "$clients" --json | tee "$work/report.json"
echo "== server"
curl -s "$url/api/v1/health"; echo
grep -E 'VmHWM|VmRSS' /proc/$server/status
du -sh "$work/data" | awk '{print "data directory: " $1}'
echo "== micro benchmark (one core)"
build/release/bench/ingest_micro --benchmark_min_time=0.5
