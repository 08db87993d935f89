#!/usr/bin/env bash
# Every test, in the order that fails fastest. Each step prints its name and duration; any failure stops
# the run with a non-zero exit. Timing targets live in `make bench`, never here.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CARGO_FEATURES:=--features agencydesk/custom-protocol}"
export AGENCYDESK_REQUIRE_KEYCHAIN=1   # keychain tests fail, not skip, without a Secret Service
export RUST_BACKTRACE=1

step() { # name, command...
  local name=$1; shift
  local t0=$SECONDS
  echo "==> $name"
  "$@"
  echo "<== $name ($((SECONDS - t0)) s)"
}

step "rustfmt" cargo fmt --all --check
step "ui: type check and invoke boundary" bash -c 'cd ui && npm run check'
step "ui: unit tests (vitest)" bash -c 'cd ui && npm test'
step "ui: build" bash -c 'cd ui && npm run build'
step "clippy -D warnings" cargo clippy --workspace --all-targets $CARGO_FEATURES -- -D warnings
# Product code (not tests) may not unwrap, expect or print to stdout: see [workspace.lints] in Cargo.toml.
step "clippy: product code" cargo clippy --workspace --lib --bins $CARGO_FEATURES -- -D warnings \
  -D clippy::unwrap_used -D clippy::expect_used -D clippy::print_stdout
# Unit, simulator, store, sync and keychain tests, inside a throwaway unlocked Secret Service.
step "cargo tests (real Secret Service)" scripts/with-keychain.sh cargo test --workspace $CARGO_FEATURES
# ts-rs regenerates ui/src/lib/bindings and tests/licenses.rs the About panel's crate list during
# the tests above: the committed files must match.
step "generated TypeScript bindings and license list are committed" bash -c '
  drift=$(git status --porcelain -- ui/src/lib/bindings src-tauri/licenses)
  if [ -n "$drift" ]; then echo "generated files drifted from the Rust types / Cargo.lock; commit them:"; echo "$drift"; git diff --stat -- ui/src/lib/bindings src-tauri/licenses; exit 1; fi'
step "ui: type check against the bindings" bash -c 'cd ui && npm run check'
# The real-window suite runs the test build (feature e2e: native dialogs answer without opening);
# tests/e2e/run.sh builds the same, so its own build is then a no-op.
step "app build (production mode, e2e test build)" cargo build -p agencydesk $CARGO_FEATURES --features agencydesk/e2e
for suite in tests/*/run.sh; do
  step "black-box: $suite" "$suite"
done
echo "make test: all steps passed"
