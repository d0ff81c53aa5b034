#!/usr/bin/env bash
# The public test: a whole national election (Pemilu 2024's shape, 823,220 TPS x their ballots)
# through HTTP, every statement signed by its device just before it is sent, durably
# acknowledged, logged, tallied; then the exact-totals check at every level, a restart that
# rebuilds every total from the stored statements, and optionally `rekap verify` over it all.
# Usage: bench/national/run.sh [clients=32] [verify=no]
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-32}
do_verify=${2:-no}

source bench/common.sh
build_and_serve national
echo "== election night: national, $clients clients"
start=$(date +%s%N)
/usr/bin/time -v "$rekap" --log-level warn sim run --url "$url" --def "$work/def" \
  --admin-key "$work/data/admin.key" --clients "$clients" --json 2>"$work/client.time"
echo "night wall: $(( ($(date +%s%N) - start) / 1000000 )) ms"
grep -E 'Maximum resident' "$work/client.time" | sed 's/^\s*/client /'
echo "== server"
curl -s "$url/api/v1/health"; echo
grep -E 'VmHWM' /proc/$server/status
sleep 2
du -sh "$work/data/rekap.db" "$work/data/publish/log" "$work/data/publish/api" | awk '{print $2 ": " $1}'
echo "== restart: rebuild every total from the stored statements"
kill -TERM $server; wait $server || true
"$rekap" serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve2.log" 2>&1 &
server=$!
for _ in $(seq 1 1200); do grep -q ' at http://' "$work/serve2.log" && break; sleep 0.5; done
grep -E 'rebuilt state' "$work/serve2.log"
url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/serve2.log")
if [ "$do_verify" = verify ]; then
  echo "== rekap verify"
  "$rekap" --log-level warn verify --url "$url" --log-key "$(cat "$work/data/log.vkey")" --json
fi
