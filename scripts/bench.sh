#!/usr/bin/env bash
# Benchmarks print figures and ratios; they never fail on time (the machine is noisy).
set -euo pipefail
cd "$(dirname "$0")/.."
found=0
for b in benches/*.sh; do
  [ -e "$b" ] || continue
  found=1
  echo "==> $b"; "$b"
done
[ $found -eq 1 ] || echo "bench: no benchmarks yet"
