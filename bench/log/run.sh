#!/usr/bin/env bash
# Log benchmark: ingest a large simulated election over HTTP (every accepted statement is a log
# append in the same commit), then audit it with `rekap verify` through the public interfaces.
# Usage: bench/log/run.sh [scale=large] [clients=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-large}
clients=${2:-32}

scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release --target rekap
rekap=$PWD/build/release/src/rekap

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
echo "== ingest over HTTP with log appends: scale $scale, $clients clients"
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients "$clients" --no-check --json
echo "== server"
curl -s "$url/api/v1/health"; echo
grep -E 'VmHWM' /proc/$server/status
du -sh "$work/data/rekap.db"* "$work/data/publish" | awk '{print $2 ": " $1}'
sleep 2
head -2 <(curl -s "$url/log/checkpoint")
echo "== rekap verify (2 threads for signatures; results compared at every level)"
start=$(date +%s%N)
"$rekap" --log-level warn verify --url "$url" --log-key "$(curl -s "$url/log/key")" --json \
  & verifier=$!
peak=0
while kill -0 $verifier 2>/dev/null; do
  rss=$(awk '/VmHWM/{print $2}' /proc/$verifier/status 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$peak" ] && peak=$rss
  sleep 0.5
done
wait $verifier
echo "verify wall: $(( ($(date +%s%N) - start) / 1000000 )) ms, peak memory ${peak} kB"
