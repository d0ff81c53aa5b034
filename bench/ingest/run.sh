#!/usr/bin/env bash
# Ingest benchmark: signed results over HTTP from concurrent clients against a fresh server
# (release build, embedded SQLite, durable acknowledgement), then the per-step micro benchmark.
# Usage: bench/ingest/run.sh [scale=medium] [clients=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-medium}
clients=${2:-32}

source bench/common.sh
build_and_serve "$scale" ingest_micro

echo "== ingest over HTTP: scale $scale, $clients clients (client and server share the cores)"
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients "$clients" --presign --json | tee "$work/report.json"
echo "== server"
curl -s "$url/api/v1/health"; echo
grep -E 'VmHWM|VmRSS' /proc/$server/status
du -sh "$work/data" | awk '{print "data directory: " $1}'
echo "== micro benchmark (one core)"
# The one built with the binary measured.
micro=build/release/bench/ingest_micro
[ -n "${REKAP_BIN:-}" ] && micro=$(dirname "$(realpath "$REKAP_BIN")")/../bench/ingest_micro
"$micro" --benchmark_min_time=0.5
