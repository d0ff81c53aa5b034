#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan (build/fuzz) and runs each on a copy of
# its seed corpus (tests/fuzz/corpus/<target>, left as it is), a few at a time.
#
# Usage: tests/fuzz/run.sh [SECONDS per target, default 20]
#        tests/fuzz/run.sh --hours H      (H hours per target; the long run docs/security.md records)
# Prints per target its executions, coverage and corpus size; a crash, a leak or a broken
# property leaves its input in build/fuzz/crashes/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-20}
if [ "$seconds" = --hours ]; then seconds=$(awk -v h="${2:?--hours needs a number}" 'BEGIN {printf "%d", h * 3600}'); fi
build=build/fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREKAP_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target fuzz_targets -j "$(nproc)"

targets=$(cd tests/fuzz && ls ./*_fuzz.cpp | sed 's|^\./||; s|\.cpp$||')
work="$build/work"
rm -rf "$work"
mkdir -p "$work" "$build/crashes"
run_one() {
  local t=$1 name=${1%_fuzz}
  mkdir -p "$work/$name" "$build/crashes/$name"
  # New inputs go to the first directory; the seeds are only read.
  if "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$name/" \
    "$work/$name" "tests/fuzz/corpus/$name" >"$work/$name.log" 2>&1; then
    awk -v t="$name" '/stat::number_of_executed_units/ {e=$2} /DONE/ {c=$0}
      END {sub(/.*DONE +/, "", c); printf "%-16s ok   %10d runs  %s\n", t, e, c}' "$work/$name.log"
  else
    echo "$name: FAILED (input in $build/crashes/$name/):"
    grep -E "ERROR|property broken|SUMMARY" "$work/$name.log" | head -5
    return 1
  fi
}
export -f run_one
export build work seconds
failed=0
printf '%s\n' $targets | xargs -P "$(nproc)" -I{} bash -c 'run_one {}' || failed=1
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed" >&2
  exit 1
fi
echo "fuzz: $(printf '%s\n' $targets | wc -l) targets, ${seconds} s each, no failure"
