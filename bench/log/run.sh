#!/usr/bin/env bash
# Log benchmark: ingest a large simulated election over HTTP (every accepted statement is a log
# append in the same commit), then audit it with `rekap verify` through the public interfaces.
# Usage: bench/log/run.sh [scale=large] [clients=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-large}
clients=${2:-32}

source bench/common.sh
build_and_serve "$scale"

echo "== ingest over HTTP with log appends: scale $scale, $clients clients"
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients "$clients" --presign --no-check --json
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
