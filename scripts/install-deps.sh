#!/usr/bin/env bash
# Installs what `make run` / `make test` need on a fresh Debian machine, and only what is missing.
# System packages come from Debian (apt-get), front-end packages from npm, tauri-driver from the Rust registry.
# Nothing here downloads a prebuilt binary. `--dist` adds what `make dist` and `make dist-test` need:
# the Tauri CLI (built from the Rust registry) and the X tools the package test looks with.
set -euo pipefail
cd "$(dirname "$0")/.."

dist=0
for arg in "$@"; do
  case "$arg" in
    --dist) dist=1 ;;
    *) echo "usage: $0 [--dist]" >&2; exit 2 ;;
  esac
done

APT_PACKAGES=(
  # Tauri v2 on Linux (WebKitGTK 4.1) and the keyring's Secret Service client
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libdbus-1-dev libsecret-1-dev
  # plotters' text rendering
  libfontconfig1-dev fonts-dejavu-core
  # tests: a real Secret Service, a display, the app through WebDriver, a real browser, screenshots,
  # reading the X clipboard back (the Snippets tab's Copy button), reading the throwaway keychain
  # back (secret-tool)
  gnome-keyring libsecret-tools dbus-x11 xvfb webkit2gtk-driver chromium imagemagick xclip
  # tests: PDF documents read back (pdftotext, pdfinfo, pdffonts) and drawn to PNG (pdftoppm)
  poppler-utils
  # tests: an audio output for the recording player in the real window (a null sink; pactl reads
  # the app's stream back)
  pulseaudio pulseaudio-utils
  # node for the UI build and the browser/e2e tests
  nodejs npm
)
# make dist-test: xwininfo finds the installed app's window under Xvfb.
if [ "$dist" -eq 1 ]; then APT_PACKAGES+=(x11-utils); fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # npm/nodejs may come from elsewhere (nodesource, nvm): a working binary is enough.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null 2>&1 || { echo "install-deps: cargo not found; install Rust with rustup first" >&2; exit 1; }

# tauri-driver bridges WebDriver clients to WebKitWebDriver for the real-window tests.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "install-deps: building tauri-driver from the Rust registry (a few minutes, once)"
  cargo install tauri-driver --version 2.1.0 --locked
fi

# The Tauri CLI builds the .deb and .rpm (make dist); pinned to the release that matches the tauri
# and tauri-build versions in Cargo.lock.
TAURI_CLI_VERSION=2.12.4
if [ "$dist" -eq 1 ] && ! cargo tauri --version 2>/dev/null | grep -qx "tauri-cli $TAURI_CLI_VERSION"; then
  echo "install-deps: building the Tauri CLI $TAURI_CLI_VERSION from the Rust registry (several minutes, once)"
  cargo install tauri-cli --version "$TAURI_CLI_VERSION" --locked
fi

npm_install() { # dir: install from the lock file when node_modules is missing or older than the lock
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install ui
for d in tests/*/; do npm_install "${d%/}"; done
