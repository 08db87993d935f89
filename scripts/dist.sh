#!/usr/bin/env bash
# `make dist`: the release app and its Linux packages, a .deb and an .rpm, built by the Tauri CLI
# (`cargo tauri build`, pinned in scripts/install-deps.sh). No AppImage: its bundler downloads
# tools (linuxdeploy and its plugins) while it builds, and nothing here downloads a binary.
# The packages land in $CARGO_TARGET_DIR/release/bundle/{deb,rpm}/ (target/ by default).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/install-deps.sh --dist
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
# The CLI takes src-tauri/ as the app crate (it holds tauri.conf.json). The front-end folder is
# named because the repository root holds no package.json: the CLI would otherwise take the first
# one it finds a few folders down (a test suite's), and run beforeBuildCommand there.
export TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root/ui"
# The update feed's address and public key are read at build time (src-tauri/build.rs): exported
# ones are passed on; none means a build that never checks for updates.
# --ignore-version-mismatches: the CLI wants each plugin's npm package on its crate's minor
# release, but the newest @tauri-apps/plugin-clipboard-manager on npm is 2.3.3 while the crate
# is 2.5 (the plugin's command, write_text, is the same in both).
cargo tauri build --bundles deb,rpm --ci --ignore-version-mismatches
echo "dist: packages built:"
ls -1 "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb "$CARGO_TARGET_DIR"/release/bundle/rpm/*.rpm
