#!/usr/bin/env bash
# A/B: the ingest and read benchmarks against two builds of rekap in one run, alternating A, B,
# A, B, so that a change that should cost nothing (a change of shape) is shown to, within the
# noise between rounds. Each binary's ingest_micro is the one built beside it.
# Usage: bench/ab/run.sh A_BIN B_BIN [rounds=2] [scale=medium]
#   e.g. A_BIN=<old checkout>/build/release/src/rekap B_BIN=build/release/src/rekap
set -euo pipefail
cd "$(dirname "$0")/../.."
a=$(realpath "$1")
b=$(realpath "$2")
rounds=${3:-2}
scale=${4:-medium}

for round in $(seq 1 "$rounds"); do
  for side in A B; do
    bin=$a
    [ "$side" = B ] && bin=$b
    echo "===== round $round, $side: $bin"
    REKAP_BIN=$bin bench/ingest/run.sh "$scale" 32 2>&1 |
      grep -E '^\{"enrolled"|VmHWM|^BM_' || true
    REKAP_BIN=$bin bench/read/run.sh "$scale" 64 15 2>&1 | grep -E '^==|Requests/sec|50%|99%|VmHWM'
  done
done
