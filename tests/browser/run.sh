#!/usr/bin/env bash
# Generated snippets in a real browser: Debian's headless Chromium runs the official @vapi-ai/web
# SDK (from npm, bundled by esbuild) against the local Vapi simulator, from an allowed and a
# disallowed origin. Everything listens on 127.0.0.1; pages are *.localhost names of one
# `python3 -m http.server`. The tests themselves are *.test.mjs, run by Node's test runner.
#
# Runs inside a throwaway Secret Service (scripts/with-keychain.sh): `clients link` stores the
# org's private key in it and `jwt mint` reads it back. Always stops exactly what it started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [ -z "${BROWSER_TESTS_IN_KEYCHAIN:-}" ]; then
  exec "$root/scripts/with-keychain.sh" env BROWSER_TESTS_IN_KEYCHAIN=1 "$here/run.sh" "$@"
fi
cd "$here"

app="${AGENCYDESK_APP:-${CARGO_TARGET_DIR:-$root/target}/debug/agencydesk}"
sim="${VAPI_SIM_BIN:-${CARGO_TARGET_DIR:-$root/target}/debug/vapi-sim}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "browser: $chromium is missing (apt-get install chromium)" >&2; exit 1; }
[ -d node_modules/@vapi-ai/web ] && [ -d node_modules/esbuild ] ||
  { echo "browser: npm packages missing: run 'npm ci' in tests/browser (make deps does)" >&2; exit 1; }
if [ ! -x "$sim" ]; then
  echo "browser: building vapi-sim"
  (cd "$root" && cargo build -q -p vapi-sim)
fi
if [ ! -x "$app" ]; then
  echo "browser: building agencydesk (production mode needs ui/dist)"
  [ -d "$root/ui/dist" ] || (cd "$root/ui" && npm run build)
  (cd "$root" && cargo build -q -p agencydesk --features agencydesk/custom-protocol)
fi

work=$(mktemp -d -t agencydesk-browser.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

# Waits until $1 has a first line, for at most 10 s, then prints it.
first_line() {
  local file=$1 pid=$2
  for _ in $(seq 200); do
    if [ -s "$file" ] && head -n 1 "$file" | grep -q .; then head -n 1 "$file"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  return 1
}

# 1. The simulator on a free loopback port; its first stdout line is the manifest.
"$sim" --seed 7 --orgs 4 --days 2 --calls-per-day 5 --port 0 --host 127.0.0.1 \
  >"$work/sim.out" 2>"$work/sim.log" &
pids+=($!)
first_line "$work/sim.out" "${pids[-1]}" >"$work/manifest.json" ||
  { echo "browser: the simulator printed no manifest" >&2; cat "$work/sim.log" >&2; exit 1; }

# 2. One static server for every page; client-a.localhost and evil.localhost both reach it.
mkdir -p "$work/site"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/site" \
  >"$work/http.out" 2>"$work/http.log" &
pids+=($!)
line=$(first_line "$work/http.out" "${pids[-1]}") ||
  { echo "browser: the page server did not start" >&2; cat "$work/http.log" >&2; exit 1; }
site_port=$(sed -n 's/.* port \([0-9][0-9]*\) .*/\1/p' <<<"$line")
[ -n "$site_port" ] || { echo "browser: no port in: $line" >&2; exit 1; }

export BROWSER_WORK="$work" BROWSER_SITE_DIR="$work/site" BROWSER_SITE_PORT="$site_port" \
  BROWSER_MANIFEST="$work/manifest.json" AGENCYDESK_APP="$app" CHROMIUM="$chromium" \
  NODE_PATH="$here/node_modules"
status=0
node --test --test-concurrency=1 ./*.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- simulator log (tail) ----"; tail -n 20 "$work/sim.log" || true
fi
exit "$status"
