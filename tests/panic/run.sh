#!/usr/bin/env bash
# Panic output is part of the leak suite: a panic whose message carries a private key (or a JWT)
# must print the report with the key masked. The test build of the app (cargo feature `e2e`)
# panics on request with AGENCYDESK_E2E_PANIC_WITH in its message; this runs it once per key
# shape, in the CLI and in the window path, and scans everything it printed.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
app="${AGENCYDESK_APP:-$target/debug/agencydesk}"
if [ -z "${AGENCYDESK_APP:-}" ]; then
  (cd "$root" && cargo build -q -p agencydesk ${CARGO_FEATURES:---features agencydesk/custom-protocol} --features agencydesk/e2e)
fi
[ -x "$app" ] || { echo "panic: $app is missing" >&2; exit 1; }

work=$(mktemp -d -t agencydesk-panic.XXXXXX)
trap 'rm -rf "$work"' EXIT
export AGENCYDESK_DATA_DIR="$work/data" HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$AGENCYDESK_DATA_DIR" "$HOME"

uuid=$(python3 -c 'import uuid; print(uuid.uuid4())')
jwt="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.$(python3 -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("="))').c2lnbmF0dXJlLXBhbmljLXRlc3Q"
failures=0
check() { # label, secret, args...
  local label=$1 secret=$2; shift 2
  local status=0
  AGENCYDESK_E2E_PANIC_WITH="key $secret here" RUST_BACKTRACE=1 "$app" "$@" \
    >"$work/out" 2>"$work/err" </dev/null || status=$?
  local printed; printed=$(cat "$work/out" "$work/err")
  if [ "$status" -ne 101 ]; then
    echo "FAIL $label: exit $status, expected a panic (101)"; failures=$((failures + 1))
  elif ! grep -q "agencydesk panicked" <<<"$printed" || ! grep -qF "<key-shaped value>" <<<"$printed"; then
    echo "FAIL $label: the panic report is not the masked one:"; echo "$printed" | head -5; failures=$((failures + 1))
  elif grep -qiF "$secret" <<<"$printed"; then
    echo "FAIL $label: the key reached the panic output"; failures=$((failures + 1))
  else
    echo "ok   $label: panic reported with the key masked"
  fi
}
check "CLI, private key (UUID)" "$uuid" --demo clients list
check "CLI, JWT" "$jwt" clients list --json
check "window, private key (UUID)" "$uuid"
[ "$failures" -eq 0 ] || { echo "panic: $failures failure(s)"; exit 1; }
