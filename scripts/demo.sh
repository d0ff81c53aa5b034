#!/usr/bin/env bash
# The main job: build rekap, create a small simulated election (once), serve it on 127.0.0.1
# with the embedded SQLite store, play election night against it, and keep serving until Ctrl-C.
# Environment: REKAP_DATA (default ./data/demo), REKAP_PORT (default 8080), REKAP_SCALE (tiny).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release --target rekap
node web/build.mjs  # the portal, served at / (docs/portal.md)
rekap=build/release/src/rekap

data=${REKAP_DATA:-data/demo}
port=${REKAP_PORT:-8080}
scale=${REKAP_SCALE:-tiny}
if [ ! -f "$data/def/election.csv" ]; then
  "$rekap" sim geo --scale "$scale" --seed 1 --out "$data/def"
fi
if [ ! -f "$data/store/rekap.db" ]; then
  "$rekap" init --data "$data/store" --def "$data/def"
fi

"$rekap" serve --data "$data/store" --listen "127.0.0.1:$port" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' INT TERM
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -fs "$url/api/v1/health" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { echo "rekap: the server did not start" >&2; exit 1; }
  sleep 0.1
done

echo "rekap: playing election night (every TPS submits every ballot as a signed statement)"
"$rekap" sim run --url "$url" --def "$data/def" --admin-key "$data/store/admin.key" --clients 8

echo "rekap: auditing it as an outsider would (the signed log, every statement, every total)"
sleep 1.5  # the next signed checkpoint covers every statement
"$rekap" verify --url "$url" --log-key "$(cat "$data/store/log.vkey")"

cat <<MSG

rekap is serving the simulated election at $url/
  the portal:                     $url/
  national results (president):   $url/api/v1/results/ppwp
  a province:                     $url/api/v1/results/ppwp/11
  one TPS, with its history:      $url/api/v1/tps/$(sed -n 2p "$data/def/tps.csv" | cut -d, -f1)
  the election definition:        $url/api/v1/election
  the signed transparency log:    $url/log/checkpoint
Press Ctrl-C to stop; running this again reuses the data in $data.
MSG
wait $server
