#!/usr/bin/env bash
# Real-window end-to-end tests: the production-mode app binary under Xvfb, driven through
# tauri-driver + WebKitWebDriver by Node's test runner. Starts its own display and driver on free
# numbers and always stops exactly what it started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
# The whole suite runs inside a throwaway unlocked Secret Service: the real-agency test links a
# real key into it (under a test-only service name, below), never into the user's keychain.
if [ -z "${AGENCYDESK_E2E_IN_KEYCHAIN:-}" ]; then
  AGENCYDESK_E2E_IN_KEYCHAIN=1 exec "$root/scripts/with-keychain.sh" "$PWD/$(basename "$0")" "$@"
fi

target="${CARGO_TARGET_DIR:-$root/target}"
app="${AGENCYDESK_APP:-$target/debug/agencydesk}"
sim="${VAPI_SIM_BIN:-$target/debug/vapi-sim}"
# The test build of the app (cargo feature `e2e`): the native dialogs WebDriver cannot click
# answer without opening. Only this suite runs it; `make build` never has the feature. Built
# here (a no-op after scripts/test.sh's "app build" step, which builds the same) so the suite
# never runs a binary without it.
if [ -z "${AGENCYDESK_APP:-}" ]; then
  (cd "$root" && cargo build -q -p agencydesk ${CARGO_FEATURES:---features agencydesk/custom-protocol} --features agencydesk/e2e)
fi
[ -x "$app" ] || { echo "e2e: $app is missing: build it with 'cargo build -p agencydesk --features agencydesk/custom-protocol,agencydesk/e2e'" >&2; exit 1; }
# The simulator binary tells the test which orgs the demo's seed makes (cheap to build, often
# not built by the steps before this one).
[ -x "$sim" ] || (cd "$root" && cargo build -q -p vapi-sim --bin vapi-sim)
driver=$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")
[ -x "$driver" ] || { echo "e2e: tauri-driver not found (cargo install tauri-driver --locked)" >&2; exit 1; }
[ -x /usr/bin/WebKitWebDriver ] || { echo "e2e: WebKitWebDriver missing (apt-get install webkit2gtk-driver)" >&2; exit 1; }

work=$(mktemp -d -t agencydesk-e2e.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

# shellcheck source=../../scripts/lib/headless.sh
. "$root/scripts/lib/headless.sh"
start_display 99 140
# Everything the app writes goes under $work: data folder, HOME and XDG folders.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A real audio output for the recording player: a PulseAudio server with only a null sink (the
# machine may have no sound card), reached through $XDG_RUNTIME_DIR/pulse/native like a
# desktop's. The app's WebKit plays into it; the player test reads its sink inputs back.
command -v pulseaudio >/dev/null || { echo "e2e: pulseaudio missing (apt-get install pulseaudio)" >&2; exit 1; }
pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --log-target=stderr \
  --load="module-null-sink sink_name=e2e_null" --load="module-native-protocol-unix" \
  2>"$work/pulseaudio.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$XDG_RUNTIME_DIR/pulse/native" ] && break; sleep 0.1; done
[ -S "$XDG_RUNTIME_DIR/pulse/native" ] || { echo "e2e: pulseaudio did not start" >&2; tail -5 "$work/pulseaudio.log" >&2; exit 1; }
# A fresh, empty data folder: the app must start on its first-run screen. tauri-driver passes no
# per-session environment, so the app inherits this through the driver.
export AGENCYDESK_DATA_DIR="$work/data"
mkdir -p "$AGENCYDESK_DATA_DIR"
# Test build only (feature e2e): the invoice export's save dialog answers this path instead of
# opening (WebDriver cannot drive the native GTK dialog); issuing and writing the file run as in
# normal use. The shipped app has no code that reads it.
export AGENCYDESK_E2E_SAVE_PATH="$work/exports/e2e-invoice.csv"
mkdir -p "$work/exports"
# Test build only: the folder dialog (Settings, "Move…" the recordings archive) answers this
# folder, which does not exist yet.
export AGENCYDESK_E2E_FOLDER_PATH="$work/moved-archive"

# The leak suite over the window (issue: keys go only to Vapi): test build only, the app records
# every IPC answer it sends the window; keys go into the throwaway keychain under a test-only
# service name; the app logs everything it can (trace for our crates) into app.log through a
# wrapper; the tests write the secrets they used into secrets.txt. leak-scan.mjs reads them all.
export AGENCYDESK_E2E_KEYCHAIN_SERVICE="agencydesk-e2e-$$"
export AGENCYDESK_E2E_IPC_LOG="$work/ipc.jsonl"
export E2E_SECRETS_FILE="$work/secrets.txt" E2E_PARKED_DIR="$work/parked"
: >"$E2E_SECRETS_FILE"
mkdir -p "$E2E_PARKED_DIR"
export RUST_LOG="trace,tao=info,wry=info,tauri=info,tauri_runtime_wry=info,tracing=info"
cat >"$work/app.sh" <<WRAPPER
#!/bin/sh
exec "$app" "\$@" 2>>"$work/app.log"
WRAPPER
chmod +x "$work/app.sh"

start_driver "$driver"

export E2E_WEBDRIVER_URL="http://127.0.0.1:$driver_port" E2E_APP="$work/app.sh" E2E_SIM="$sim"
export E2E_SCREENSHOT_DIR="${E2E_SCREENSHOT_DIR:-$root/.tmp}"
status=0
# E2E_ONLY="a.test.mjs b.test.mjs" runs only those files while developing; the leak scan needs the
# whole suite's traffic, so it is skipped then (make test always runs everything).
files=${E2E_ONLY:-./*.test.mjs}
# shellcheck disable=SC2086 # word splitting and the glob are wanted here
node --test --test-concurrency=1 $files || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- tauri-driver log (tail) ----"; tail -n 40 "$work/driver.log" || true
  echo "---- app log (tail) ----"; tail -n 40 "$work/app.log" || true
fi
[ -s "$work/app.log" ] || { echo "e2e: the app wrote no log: the leak scan would read nothing"; status=1; }
[ -n "${E2E_ONLY:-}" ] && { echo "e2e: E2E_ONLY set, leak scan skipped"; exit "$status"; }
node leak-scan.mjs "$E2E_SECRETS_FILE" "$AGENCYDESK_E2E_IPC_LOG" \
  "$AGENCYDESK_DATA_DIR" "$work/exports" "$E2E_PARKED_DIR" "$work/app.log" "$work/driver.log" || status=1
exit "$status"
