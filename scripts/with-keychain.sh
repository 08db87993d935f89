#!/usr/bin/env bash
# Runs a command inside a throwaway, unlocked Secret Service, and returns the command's exit code.
#
#   scripts/with-keychain.sh cargo test -p agencydesk-core --test keychain
#
# HOME and the XDG folders point into a temporary directory first, so the D-Bus session and
# gnome-keyring it starts never touch the real home (and the keyring they create is deleted at the
# end). The keyring is unlocked with a throwaway password; nothing real is ever stored in it.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is missing (Debian: apt-get install gnome-keyring dbus-x11)" >&2
    exit 127
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/agencydesk-keychain.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# cargo and rustup find their homes through HOME unless told; keep them where they are.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$tmp/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_STATE_HOME="$HOME/.local/state"
export XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
# Tests that lock the keyring mid-session unlock it again with this (it protects nothing).
export AGENCYDESK_TEST_KEYRING_PASSWORD="throwaway-test-password"

# Inside a private D-Bus session: start gnome-keyring in the foreground (so its PID is known and
# it can be stopped afterwards; a daemonized one outlives the session), wait until it owns the
# Secret Service name, run the command, stop the keyring, exit with the command's status.
status=0
# shellcheck disable=SC2016 # "$@" is expanded by the inner shell on purpose
dbus-run-session -- bash -c '
  set -uo pipefail
  printf %s "$AGENCYDESK_TEST_KEYRING_PASSWORD" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
  keyring=$!
  ready=no
  for _ in $(seq 1 200); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
         grep -q "boolean true"; then
      ready=yes
      break
    fi
    sleep 0.05
  done
  if [ "$ready" != yes ]; then
    echo "with-keychain: gnome-keyring did not start a Secret Service" >&2
    kill "$keyring" 2>/dev/null
    exit 1
  fi
  status=0
  "$@" || status=$?
  kill "$keyring" 2>/dev/null
  wait "$keyring" 2>/dev/null
  exit "$status"
' with-keychain "$@" || status=$?
exit "$status"
