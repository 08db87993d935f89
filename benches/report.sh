#!/usr/bin/env bash
# Client report benchmark (issue 12). Figures only; nothing here fails on time.
#
# crates/core/examples/report_bench.rs: one client's month read from the call cache and drawn as
# the PDF, as `agencydesk report` does (target: under 300 ms over 1M cached calls).
#   benches/report.sh DATA_DIR   over an agency data folder: scripts/bench.sh passes the 1M-call
#                                copy benches/sync.sh keeps (real synced calls, copied 5 times)
#   benches/report.sh            over the synthetic cache of about BENCH_CALLS realistic calls
#                                (default 1M; crates/core/examples/support/million.rs) kept in
#                                BENCH_SYNTHETIC_DIR (built there if not yet; default a temporary
#                                folder removed at the end); benches/search.sh shares it
#
# Built with the workspace's dev profile, whose dependencies (SQLite, krilla) are optimised, like
# benches/charts.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "building report_bench (dev profile, optimised dependencies)..."
cargo build --quiet -p agencydesk-core --example report_bench
target_dir=${CARGO_TARGET_DIR:-target}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $# -ge 1 ]; then
  "$target_dir/debug/examples/report_bench" "$1"
else
  synthetic=${BENCH_SYNTHETIC_DIR:-}
  if [ -z "$synthetic" ]; then
    synthetic=$(mktemp -d -t agencydesk-synthetic.XXXXXX)
    trap 'rm -rf "$synthetic"' EXIT
  fi
  "$target_dir/debug/examples/report_bench" --synthetic "${BENCH_CALLS:-1000000}" "$synthetic"
fi
