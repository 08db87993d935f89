#!/usr/bin/env bash
# Opens the built app. With no display (a server, CI) it starts a private Xvfb so the app still runs,
# and says so: the window is then only visible to screenshots (`import -window root shot.png`).
set -euo pipefail
cd "$(dirname "$0")/.."
app=target/debug/agencydesk
[ -x "$app" ] || { echo "run-app: $app is missing; run 'make build'" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-app: no display found; running under Xvfb on :77 (DISPLAY=:77 import -window root shot.png to see it)"
  Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  export DISPLAY=:77
  sleep 1
fi
export NO_AT_BRIDGE=1
exec_status=0
"$app" "$@" || exec_status=$?
exit $exec_status
