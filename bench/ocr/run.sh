#!/usr/bin/env bash
# OCR benchmark: N synthetic photographed forms of each ballot (handwriting from MNIST training
# images 55000..59999, which the digit model never trained on), read and decided by the reader;
# then the digit model's accuracy on the MNIST test split through the same OpenCV dnn path
# (reporting only).
# Usage: bench/ocr/run.sh [forms per ballot=1000] [threads=2] [scale=small]
set -euo pipefail
cd "$(dirname "$0")/../.."
forms=${1:-1000}
threads=${2:-2}
scale=${3:-small}

scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release --target rekap ocr_bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/release/src/rekap --log-level warn sim geo --scale "$scale" --out "$work/def"

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== reader on synthetic photographed forms: $forms per ballot, $threads threads, scale $scale"
build/release/bench/ocr_bench --def "$work/def" --forms "$forms" --threads "$threads" \
  --mnist-test --json "${OCR_JSON:-$work/ocr.json}"
