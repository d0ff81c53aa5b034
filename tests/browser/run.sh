#!/usr/bin/env bash
# Browser tests of the portal: builds it (web/, esbuild), plays a simulated election night with
# photographed forms and corrections against a real `rekap serve` on 127.0.0.1, then drives
# Debian's chromium with playwright-core (tests/browser/portal.test.mjs), then the officer's
# page (tests/browser/officer.test.mjs, which changes the night's numbers, so it runs last).
# Screenshots and the page weight go to the artifacts directory.
#
# Usage: tests/browser/run.sh <path to rekap binary> [artifacts directory]
# Needs: node and npm, chromium (Debian's, /usr/bin/chromium), and `npm ci` done in web/ and
# tests/browser/ (scripts/setup.sh does all of it).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
timeout_s=${REKAP_BROWSER_TIMEOUT:-600}

fail() {
  echo "browser: FAIL: $*" >&2
  exit 1
}

[ $# -ge 1 ] || fail "usage: $0 <path to rekap binary> [artifacts directory]"
rekap=$(realpath "$1" 2>/dev/null)
[ -n "$rekap" ] && [ -x "$rekap" ] || fail "$1 is not an executable"
artifacts=$(realpath -m "${2:-$repo/build/test-artifacts/browser}")
chromium=${REKAP_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || fail "node not found (scripts/setup.sh installs it)"
[ -x "$chromium" ] || fail "$chromium not found (apt-get install chromium; scripts/setup.sh does)"
[ -d "$repo/web/node_modules/esbuild" ] || fail "web/node_modules missing: npm ci --prefix web"
[ -d "$here/node_modules/playwright-core" ] || fail "tests/browser/node_modules missing: npm ci --prefix tests/browser"

source "$here/../lib/server.sh"
make_tmp browser

deadline=$((SECONDS + timeout_s))
mkdir -p "$artifacts"
rm -f "$artifacts"/*.png "$artifacts"/*.json

# The portal is built here, not into web/dist, so a demo serving web/dist is left alone.
node "$repo/web/build.mjs" --out "$tmp/web" || fail "building the portal failed"
# The pages' pure JavaScript (seats, proofs, URLs, search; the officer's statements, rules and
# outbox) first: a failure there is clearer than in a browser.
(cd "$repo/web" && node --test test/) >"$tmp/web-test.out" 2>&1 ||
  { cat "$tmp/web-test.out" >&2; fail "web unit tests (node --test in web/) failed"; }

"$rekap" sim geo --scale tiny --seed 1 --out "$tmp/def" >"$tmp/geo.out" 2>&1 ||
  { cat "$tmp/geo.out" >&2; fail "rekap sim geo failed"; }
use_test_store
"$rekap" init --data "$tmp/data" --def "$tmp/def" "${store_args[@]}" >"$tmp/init.out" 2>&1 ||
  { cat "$tmp/init.out" >&2; fail "rekap init failed"; }

start_server "$rekap" --data "$tmp/data" "${store_args[@]}" --checkpoint-ms 200 --web "$tmp/web"
echo "browser: server at $url"

# Photographed forms (the reader reads synthetic photos, which are uploaded with the result)
# and corrections by the kecamatan, so TPS pages have photos and histories to show.
"$rekap" sim run --url "$url" --def "$tmp/def" --admin-key "$tmp/data/admin.key" --clients 4 \
  --ocr-share 0.1 --faults correct --fault-share 0.2 >"$tmp/run.out" 2>&1 ||
  { cat "$tmp/run.out" >&2; fail_with_server_log "rekap sim run failed"; }
grep -E '^(statements stored|photographed forms|totals):' "$tmp/run.out"

cd "$here" || fail "cannot enter $here"
REKAP_URL=$url REKAP_PUBLISH=$tmp/data/publish REKAP_DEF=$tmp/def REKAP_ARTIFACTS=$artifacts \
  REKAP_CHROMIUM=$chromium \
  timeout $((deadline - SECONDS > 60 ? deadline - SECONDS : 60)) \
  node --test --test-reporter=spec portal.test.mjs
rc=$?
[ $rc -eq 0 ] || fail_with_server_log "portal tests failed (screenshots in $artifacts)"

mkdir -p "$tmp/officer"
REKAP_URL=$url REKAP_DEF=$tmp/def REKAP_ARTIFACTS=$artifacts REKAP_CHROMIUM=$chromium \
  REKAP_BIN=$rekap REKAP_ADMIN_KEY=$tmp/data/admin.key REKAP_WORK=$tmp/officer \
  timeout $((deadline - SECONDS > 60 ? deadline - SECONDS : 60)) \
  node --test --test-reporter=spec officer.test.mjs
rc=$?
[ $rc -eq 0 ] || fail_with_server_log "officer page tests failed (screenshots in $artifacts)"
# A clean stop exits 0; under the sanitizers, anything they found makes it fail.
kill "$server_pid"
wait "$server_pid"
rc=$?
server_pid=
[ $rc -eq 0 ] || fail_with_server_log "rekap serve exited with status $rc"
echo "browser: all portal and officer page tests passed; screenshots and page weight in $artifacts"
