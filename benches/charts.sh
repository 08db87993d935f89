#!/usr/bin/env bash
# Chart benchmark (issue 5). Figures only; nothing here fails on time.
#
# benches/charts_bench.rs (an example of agencydesk-core): a temporary SQLite cache with 1M calls
# (5 client orgs, 365 days; one transaction, one cached statement, the rollup kept by the same
# triggers the sync fires), then per chart the median time to aggregate, to aggregate + draw the
# SVG the UI inlines, and to draw the PNG the CLI writes. Target: under 50 ms for a month's chart.
#
# Built with the workspace's dev profile, whose dependencies (SQLite, plotters) are optimised
# (opt-level 2): the same build as `make build`, and no release build of the Tauri stack.
# Knob: BENCH_CHART_CALLS (default 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${BENCH_CHART_CALLS:-1000000}
echo "building charts_bench (dev profile, optimised dependencies)..."
cargo build --quiet -p agencydesk-core --example charts_bench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
target/debug/examples/charts_bench "$CALLS"
