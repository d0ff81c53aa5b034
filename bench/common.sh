# Shared by the benchmark scripts: build the release binary, make a simulated election, start a
# server on a free loopback port. Sets: rekap, work, server, url. Source it from the repo root.
# REKAP_BIN=path uses that binary instead of building one.
build_and_serve() {
  local scale=$1
  if [ -n "${REKAP_BIN:-}" ]; then
    rekap=$(realpath "$REKAP_BIN")
  else
    scripts/setup.sh
    cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
    cmake --build build/release --target rekap "${@:2}"
    rekap=$PWD/build/release/src/rekap
  fi
  work=$(mktemp -d)
  # The server's publishers write until it exits: wait for it before removing its files.
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
  "$rekap" --log-level warn sim geo --scale "$scale" --out "$work/def"
  "$rekap" --log-level warn init --data "$work/data" --def "$work/def" >/dev/null
  "$rekap" --log-level warn serve --data "$work/data" --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do grep -q ' at http://' "$work/serve.log" && break; sleep 0.1; done
  url=$(sed -n 's/.* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.log")
  echo "== machine"
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}
