#!/usr/bin/env bash
# The public test: a whole national election (Pemilu 2024 in KPU's real regions: 821,398 TPS,
# 818,339 in the country and 3,059 simulated abroad, x their ballots)
# through HTTP, every statement signed by its device just before it is sent, durably
# acknowledged, logged, tallied; then the exact-totals check at every level, a restart that
# rebuilds every total from the stored statements, and optionally `rekap verify` over it all.
# Usage: bench/national/run.sh [clients=32] [verify=no]  (SCALE=province:31 for a quick try;
# REKAP_STORE=postgres for PostgreSQL, see bench/common.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-32}
do_verify=${2:-no}

source bench/common.sh
build_and_serve "${SCALE:-national}"
echo "== election night: ${SCALE:-national}, $clients clients"
start=$(date +%s%N)
# Every 10 s: ms since the start, statements stored, log entries whose portal TPS documents are
# published (the slowest publisher), to tell when ingest ended and when publishing caught up.
progress() {
  while kill -0 "$server" 2>/dev/null; do
    echo "$(( ($(date +%s%N) - start) / 1000000 ))" \
      "$(curl -s "$url/api/v1/health" | sed -n 's/.*"statements":\([0-9]*\).*/\1/p')" \
      "$(curl -s "$url/api/v1/portal/status" | sed -n 's/.*"log_size":\([0-9]*\).*/\1/p')"
    sleep 10
  done
}
progress >"$work/progress.txt" &
poller=$!
/usr/bin/time -v "$rekap" --log-level warn sim run --url "$url" --def "$work/def" \
  --admin-key "$work/data/admin.key" --clients "$clients" --json 2>"$work/client.time"
echo "night wall (with the exact-totals check): $(( ($(date +%s%N) - start) / 1000000 )) ms"
# Wait (at most 15 min) until the portal has published every stored statement's TPS document.
for _ in $(seq 1 90); do
  last=$(tail -1 "$work/progress.txt")
  set -- $last
  [ "${2:-0}" = "${3:-1}" ] && break
  sleep 10
done
kill $poller 2>/dev/null || true
final=$(tail -1 "$work/progress.txt" | cut -d' ' -f2)
echo "all $final statements stored by: $(awk -v n="$final" '$2 == n {print $1 " ms"; exit}' "$work/progress.txt")"
echo "portal TPS documents caught up by: $(awk -v n="$final" '$3 == n {print $1 " ms"; exit}' "$work/progress.txt")"
cp "$work/progress.txt" "${PROGRESS_OUT:-/dev/null}" 2>/dev/null || true
grep -E 'Maximum resident' "$work/client.time" | sed 's/^\s*/client /'
echo "== server"
curl -s "$url/api/v1/health"; echo
grep -E 'VmHWM' /proc/$server/status
sleep 2
store_size
store_activity
du -sh "$work/data/publish/log" "$work/data/publish/api" | awk '{print $2 ": " $1}'
echo "== restart: rebuild every total from the stored statements"
kill -TERM $server; wait $server || true
"$rekap" serve --data "$work/data" "${store_args[@]}" --listen 127.0.0.1:0 >"$work/serve2.log" 2>&1 &
server=$!
for _ in $(seq 1 1200); do grep -q ' at http://' "$work/serve2.log" && break; sleep 0.5; done
grep -E 'rebuilt state' "$work/serve2.log"
url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/serve2.log")
if [ "$do_verify" = verify ]; then
  echo "== rekap verify"
  "$rekap" --log-level warn verify --url "$url" --log-key "$(cat "$work/data/log.vkey")" --json
fi
