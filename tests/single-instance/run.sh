#!/usr/bin/env bash
# One window per data folder: a second launch of the real app on the same data folder hands over
# to the running window (which logs it and comes forward) and exits with status 0; a launch on
# another data folder (AGENCYDESK_DATA_DIR) opens its own window. The production-mode binary under
# Xvfb, inside a private D-Bus session (how the single-instance plugin finds the running window on
# Linux). Stops exactly what it started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
app="${AGENCYDESK_APP:-${CARGO_TARGET_DIR:-$root/target}/debug/agencydesk}"
[ -x "$app" ] || { echo "single-instance: $app is missing: build it with 'cargo build -p agencydesk --features agencydesk/custom-protocol'" >&2; exit 1; }
command -v dbus-run-session >/dev/null || { echo "single-instance: dbus-run-session missing (apt-get install dbus-x11)" >&2; exit 1; }

work=$(mktemp -d -t agencydesk-single.XXXXXX)
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
start_display 141 180
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime" RUST_LOG="agencydesk=info,warn"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$work/one" "$work/two" && chmod 700 "$XDG_RUNTIME_DIR"
export APP="$app" WORK="$work"

dbus-run-session -- bash -euo pipefail -c '
  names() { dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.ListNames | grep -c "com.agencydesk.app.d.*SingleInstance" || true; }
  # Waits until N windows hold their name on the bus (a window registers it as it starts).
  wait_names() { for _ in $(seq 600); do [ "$(names)" -ge "$1" ] && return 0; sleep 0.1; done
    echo "FAIL: $1 window(s) never registered on the session bus" >&2; return 1; }
  stop() { kill "$first" "${other:-}" 2>/dev/null || true; wait 2>/dev/null || true; }
  trap stop EXIT

  AGENCYDESK_DATA_DIR="$WORK/one" "$APP" >"$WORK/first.log" 2>&1 & first=$!
  wait_names 1

  status=0
  AGENCYDESK_DATA_DIR="$WORK/one" timeout 60 "$APP" >"$WORK/second.log" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { echo "FAIL: the second launch exited with $status, not 0 (124: it stayed open)" >&2; cat "$WORK/second.log" >&2; exit 1; }
  kill -0 "$first" || { echo "FAIL: the first window is gone" >&2; exit 1; }
  for _ in $(seq 100); do grep -q "a second launch was handed to this window" "$WORK/first.log" && break; sleep 0.1; done
  grep -q "a second launch was handed to this window" "$WORK/first.log" \
    || { echo "FAIL: the running window never heard of the second launch" >&2; cat "$WORK/first.log" >&2; exit 1; }
  echo "ok: a second launch on the same data folder handed over to the running window"

  AGENCYDESK_DATA_DIR="$WORK/two" "$APP" >"$WORK/other.log" 2>&1 & other=$!
  wait_names 2
  kill -0 "$other" || { echo "FAIL: the window of another data folder did not stay open" >&2; exit 1; }
  echo "ok: another data folder opens its own window"
'
