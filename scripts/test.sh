#!/usr/bin/env bash
# Runs every test: builds with warnings as errors and AddressSanitizer + UndefinedBehaviorSanitizer,
# then unit, property, integration (a real server on 127.0.0.1) and crash tests with CTest, and
# every fuzz target for 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
files=$(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run --Werror $files; then
  echo "rekap: run clang-format -i on the files above" >&2
  exit 1
fi
python3 scripts/check-layers.py
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREKAP_WERROR=ON -DREKAP_SANITIZE=ON >/dev/null
cmake --build build/test -j "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
ctest --test-dir build/test --output-on-failure -j 2 --timeout 900
# Every parser's libFuzzer target, briefly, from its seed corpus (tests/fuzz/run.sh HOURS for long
# runs).
tests/fuzz/run.sh 20
