#!/usr/bin/env bash
# Full-text search benchmark (issue 10). Figures only; nothing here fails on time.
#
# crates/core/examples/search_bench.rs: the median time of seven kinds of search (a phrase, a
# word, a prefix, two words, one client's, one month's, no match; first page of 50 with
# snippets, as the app asks) and the search index's size (target: under 100 ms over 1M calls).
#   benches/search.sh DATA_DIR   over an agency data folder whose search index is built
#   benches/search.sh            over the synthetic cache of about BENCH_CALLS realistic calls
#                                (default 1M) kept in BENCH_SYNTHETIC_DIR, as benches/report.sh
#
# Built with the workspace's dev profile, whose dependencies (SQLite, zstd) are optimised.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "building search_bench (dev profile, optimised dependencies)..."
cargo build --quiet -p agencydesk-core --example search_bench
target_dir=${CARGO_TARGET_DIR:-target}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $# -ge 1 ]; then
  "$target_dir/debug/examples/search_bench" "$1"
else
  synthetic=${BENCH_SYNTHETIC_DIR:-}
  if [ -z "$synthetic" ]; then
    synthetic=$(mktemp -d -t agencydesk-synthetic.XXXXXX)
    trap 'rm -rf "$synthetic"' EXIT
  fi
  "$target_dir/debug/examples/search_bench" --synthetic "${BENCH_CALLS:-1000000}" "$synthetic"
fi
