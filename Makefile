# Two commands set up a fresh Debian machine: `make run` and `make test`.
# Both install what is missing first (Debian packages, npm packages, tauri-driver).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# One feature set everywhere so tauri is compiled once: the app embeds ui/dist (production mode)
# in every build, which is what `make run` and the WebDriver tests need.
CARGO_FEATURES := --features agencydesk/custom-protocol
export CARGO_FEATURES

.PHONY: help deps ui build run test bench dist dist-test fmt clippy bindings clean

help:
	@echo "make run    install what is missing, build, open the app on the demo agency"
	@echo "make test   install what is missing, run every test (fmt, clippy, unit, keychain, e2e, browser)"
	@echo "make bench  benchmarks (figures and ratios, never pass/fail on time)"
	@echo "make dist   the release app and its .deb and .rpm (Tauri CLI), in \$$CARGO_TARGET_DIR/release/bundle"
	@echo "make dist-test  install the .deb here (root), use the installed app, remove it again"

deps:
	@scripts/install-deps.sh

ui: deps
	cd ui && npm run build

build: ui
	cargo build -p agencydesk $(CARGO_FEATURES)

run: build
	scripts/run-app.sh --demo

test: deps
	scripts/test.sh

bench: deps
	scripts/bench.sh

# The Tauri CLI runs the UI build itself (beforeBuildCommand), then the release build and bundlers.
dist:
	scripts/dist.sh

dist-test:
	scripts/install-deps.sh --dist
	scripts/dist-test.sh

fmt:
	cargo fmt --all

clippy: ui
	cargo clippy --workspace --all-targets $(CARGO_FEATURES) -- -D warnings

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/*/node_modules
