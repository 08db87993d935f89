#!/usr/bin/env bash
# App start-up benchmark (issue 8). Figures only; nothing here fails on time.
#
# The release app (production mode) under Xvfb, driven by tauri-driver, on a data folder holding
# a live agency with 1M cached calls (made by benches/sync.sh, `sync_bench million`: the synced
# simulator calls copied five times, compressed as the sync stores them). The app opens a live
# agency only through the OS keychain, so this runs inside scripts/with-keychain.sh (a throwaway
# unlocked Secret Service; no key is read at start). Prints start to first paint, the clients
# list, a Calls tab's first page over 200k calls, and the RSS of the app with its WebKit
# processes.
#
#   benches/app_start.sh DATA_DIR     a folder holding agencydesk.sqlite (copied, not changed)
#
# Knob: AGENCYDESK_APP (default: the release build, built here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

src=${1:-${BENCH_MILLION_DIR:-}}
if [ -z "$src" ] || [ ! -f "$src/agencydesk.sqlite" ]; then
  echo "app_start: no 1M-call data folder given (run benches/sync.sh with BENCH_KEEP_MILLION=DIR first); skipped"
  exit 0
fi
if [ -z "${INSIDE_KEYCHAIN:-}" ]; then
  INSIDE_KEYCHAIN=1 exec scripts/with-keychain.sh "$0" "$@"
fi
for tool in Xvfb node; do
  command -v "$tool" >/dev/null || { echo "app_start: $tool missing; skipped"; exit 0; }
done
driver=$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")
[ -x "$driver" ] && [ -x /usr/bin/WebKitWebDriver ] || { echo "app_start: tauri-driver or WebKitWebDriver missing; skipped"; exit 0; }

target_dir=${CARGO_TARGET_DIR:-target}
app=${AGENCYDESK_APP:-$target_dir/release/agencydesk}
if [ -z "${AGENCYDESK_APP:-}" ]; then
  [ -d ui/dist ] || (cd ui && npm ci --no-audit --no-fund && npm run build)
  echo "building the release app..."
  cargo build --release --quiet -p agencydesk --features agencydesk/custom-protocol
fi
app=$(realpath "$app")

work=$(mktemp -d -t agencydesk-appbench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# shellcheck source=../scripts/lib/headless.sh
. "$root/scripts/lib/headless.sh"
start_display 141 180
export AGENCYDESK_DATA_DIR="$work/data"
mkdir -p "$AGENCYDESK_DATA_DIR"
cp "$src/agencydesk.sqlite" "$AGENCYDESK_DATA_DIR/"
start_driver "$driver"

echo "machine: $(nproc) cores, load before start: $(cut -d' ' -f1-3 /proc/loadavg); database $(du -m "$src/agencydesk.sqlite" | cut -f1) MB"
for run in 1 2 3; do
  # The database was just written, so the OS page cache holds it for every run.
  E2E_WEBDRIVER_URL="http://127.0.0.1:$driver_port" E2E_APP="$app" node benches/app_start.mjs >"$work/run$run.json" \
    || { tail -n 30 "$work/driver.log"; exit 1; }
done
python3 - "$work" <<'PY'
import json, sys
runs = [json.load(open(f"{sys.argv[1]}/run{i}.json")) for i in (1, 2, 3)]
for i, r in enumerate(runs, 1):
    mb = lambda k: r[k]["totalKb"] / 1024
    parts = ", ".join(f"{p['exe']} {p['rssKb'] / 1024:.0f}" for p in r["rss_with_calls_tab"]["parts"])
    print(f"run {i}: start to first paint {r['first_paint_ms']:.0f} ms, "
          f"clients listed {r['clients_ms']:.0f} ms; Calls tab over {r['calls_total']} calls: "
          f"first {r['call_rows']} rows in {r['calls_tab_first_page_ms']:.0f} ms; "
          f"RSS {mb('rss_at_start'):.0f} MB at start, {mb('rss_with_calls_tab'):.0f} MB with the Calls tab ({parts} MB)")
PY
