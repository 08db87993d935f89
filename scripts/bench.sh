#!/usr/bin/env bash
# Benchmarks print figures and ratios; they never fail on time (the machine is noisy).
# benches/sync.sh keeps its 1M-call data folder for benches/app_start.sh, which opens it in the
# release app, and for benches/report.sh; any other benches/*.sh runs in between. The synthetic
# cache of realistic calls (benches/search.sh builds it first) is shared by search and report.
set -euo pipefail
cd "$(dirname "$0")/.."
million=$(mktemp -d -t agencydesk-million.XXXXXX)
trap 'rm -rf "$million"' EXIT
export BENCH_SYNTHETIC_DIR="$million/synthetic"
echo "==> benches/sync.sh"; BENCH_KEEP_MILLION="$million/data" benches/sync.sh
for b in benches/*.sh; do
  case "$b" in benches/sync.sh | benches/app_start.sh | benches/report.sh) continue ;; esac
  echo "==> $b"; "$b"
done
echo "==> benches/report.sh (synthetic cache)"; benches/report.sh
echo "==> benches/report.sh (the 1M copy)"; benches/report.sh "$million/data"
echo "==> benches/app_start.sh"; benches/app_start.sh "$million/data"
