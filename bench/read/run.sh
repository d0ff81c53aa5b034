#!/usr/bin/env bash
# Read path, side by side in one run: region results JSON served by rekap (from memory, with
# ETags) and by nginx serving the same files from rekap's publish directory. Same paths, same
# connections, loopback, wrk.
# Usage: bench/read/run.sh [scale=medium] [connections=64] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale=${1:-medium}
connections=${2:-64}
seconds=${3:-20}

for p in nginx wrk; do
  command -v $p >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq nginx-light wrk; }
done
source bench/common.sh
build_and_serve "$scale"
"$rekap" --log-level warn sim run --url "$url" --def "$work/def" --admin-key "$work/data/admin.key" \
  --clients 16 --presign --no-check >/dev/null
# The publisher writes the documents behind the night (paced while statements arrive): wait until
# their number holds for two seconds, so that every run reads the same set.
count() { find "$work/data/publish/api/v1/results" -name '*.json' 2>/dev/null | wc -l; }
last=-1
for _ in $(seq 1 60); do
  sleep 2
  now=$(count)
  [ "$now" -eq "$last" ] && break
  last=$now
done

# Every region of every ballot, as both servers name them.
(cd "$work/data/publish" && find api/v1/results -name '*.json' | sed 's/\.json$//' | sed 's|^|/|') \
  | shuf --random-source=<(yes) > "$work/paths.txt"
echo "== $(wc -l < "$work/paths.txt") documents, $(du -sh "$work/data/publish/api" | cut -f1)"

chmod 755 "$work"  # nginx's workers run as another user
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  types { application/json json; }
  server {
    listen 127.0.0.1:18701;
    root $work/data/publish;
    location /api/v1/results/ { try_files \$uri.json =404; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
trap 'kill $server $nginx_pid 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5

export REKAP_PATHS="$work/paths.txt"
for target in "rekap $url" "nginx http://127.0.0.1:18701"; do
  set -- $target
  echo "== $1: wrk -t1 -c$connections -d${seconds}s"
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/read/paths.lua "$2" | grep -E 'Requests/sec|Latency|50%|90%|99%|Non-2xx|Transfer/sec'
done
grep -E 'VmHWM' /proc/$server/status
