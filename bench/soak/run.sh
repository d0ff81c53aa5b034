#!/usr/bin/env bash
# Soak: a province-scale election night with every fault, paced to last at least ten minutes,
# while readers hammer the read path (wrk over every region result document). Samples the
# server's memory every 10 s; at the end the simulator checks every published total against the
# ground truth and that every bad statement was refused. The readers go on for two minutes
# after the night, so that memory under reads alone shows too.
# Usage: bench/soak/run.sh [scale=province:31] [minutes=11] [ocr share=0.002]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-province:31}
minutes=${2:-11}
ocr_share=${3:-0.002}

command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq wrk; }
source bench/common.sh
build_and_serve "$scale"

# Every region of every ballot it has, as the API names them.
awk -F, 'NR > 1 {print $1}' "$work/def/regions.csv" | while read -r code; do
  for b in ppwp pdpr pdpd pdprdp pdprdk; do echo "/api/v1/results/$b/$code"; done
done | shuf --random-source=<(yes) > "$work/paths.txt"
results=$(awk -F, 'NR > 1' "$work/def/tps.csv" | wc -l)
rate=$(( results * 4 / (minutes * 60) + 1 ))  # about four ballots per TPS
echo "== soak: scale $scale, $(wc -l < "$work/paths.txt") region documents, ~$((results * 4)) results at $rate/s, OCR share $ocr_share"

(
  start=$(date +%s)
  while kill -0 "$server" 2>/dev/null; do
    rss=$(awk '/VmRSS/{print $2}' /proc/$server/status 2>/dev/null || echo 0)
    accepted=$(curl -s "$url/api/v1/health" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p')
    echo "$(( $(date +%s) - start )) $rss ${accepted:-0}"
    sleep 10
  done
) > "$work/memory.txt" &
sampler=$!

# Longer than the night can take; stopped two minutes after it (wrk prints its summary on SIGINT).
REKAP_PATHS="$work/paths.txt" wrk -t1 -c16 -d"$((minutes * 60 * 3))s" --latency \
  -s bench/read/paths.lua "$url" > "$work/wrk.txt" &
readers=$!

set +e
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients 8 --rate "$rate" --faults drop,duplicate,reorder,correct,bad --fault-share 0.02 \
  --ocr-share "$ocr_share" | tee "$work/report.txt"
status=${PIPESTATUS[0]}
set -e
sleep 120
kill -INT "$readers" 2>/dev/null || true
wait "$readers" 2>/dev/null || true
kill "$sampler" 2>/dev/null || true

echo "== readers (wrk -t1 -c16, during the night and two minutes after)"
grep -E 'requests in|Requests/sec|Latency|50%|99%|Non-2xx|Socket errors' "$work/wrk.txt" || cat "$work/wrk.txt"
echo "== server memory (seconds, RSS KiB, statements accepted)"
cat "$work/memory.txt"
awk 'NR > 1 && $3 > 0 {n++; t[n] = $1; r[n] = $2; s[n] = $3}
     END {
       if (n < 4) { print "too few samples"; exit }
       q = int(n / 4); if (q < 1) q = 1
       printf "RSS after the first quarter: %d KiB at %d statements; at the end: %d KiB at %d statements\n", r[q], s[q], r[n], s[n]
       printf "growth: %.1f KiB per 1000 statements after warm-up\n", (r[n] - r[q]) / ((s[n] - s[q]) / 1000 + 1e-9)
     }' "$work/memory.txt"
# After the last statement, only readers: RSS then should stay flat.
awk '{ if ($3 != last) { at = NR; last = $3 } rss[NR] = $2; t[NR] = $1 }
     END { if (NR - at >= 3) printf "reads alone: RSS %d KiB at %d s, %d KiB at %d s\n", rss[at + 1], t[at + 1], rss[NR], t[NR] }' "$work/memory.txt"
grep -E 'VmHWM' /proc/$server/status
grep -ciE '\[(error|critical)\]' "$work/serve.log" | sed 's/^/server errors logged: /'
exit "$status"
