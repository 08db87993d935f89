#!/usr/bin/env bash
# Call sync benchmark (issue 3). Figures and ratios only; nothing here fails on time.
#
# 1. vapi-sim (release, loopback) serves 5 client orgs with ~200k realistic calls.
#    Our sync (crates/core/examples/sync_bench.rs): full sync into a new database, re-sync with
#    nothing new, calls view queries, and the raw limits measured in Rust: fetching every page
#    with nothing stored (same concurrency), and inserting the same rows in one transaction.
# 2. benches/naive_sync.py against the same simulator: the script a user would write, and the
#    same two raw limits measured in plain Python.
# 3. The synced calls copied to 1M (sync_bench million): bytes per call, and the calls view's
#    queries (first page, a deep page, assistant + 30 days, count, one call's JSON) over them;
#    then the full-text index built over them (as the first start after the upgrade does), its
#    size, and the median time of several kinds of search.
#    The folder is a live agency's data folder, which benches/app_start.sh opens in the app.
# 4. A second simulator with 20 orgs: re-sync with nothing new.
#
# Knobs: BENCH_DAYS / BENCH_CALLS_PER_DAY (history size; defaults give ~200k calls),
# BENCH_ROUNDS=N also measures the full sync and both raw limits in turn N times (medians and
# CPU times; the fairest ratio on a shared machine),
# BENCH_ENCODINGS=1 also compares raw JSON encodings (plain, zstd levels), BENCH_SKIP_NAIVE=1.
set -euo pipefail
cd "$(dirname "$0")/.."

DAYS=${BENCH_DAYS:-365}
CALLS_PER_DAY=${BENCH_CALLS_PER_DAY:-113}

echo "building release binaries (vapi-sim, sync_bench)..."
cargo build --release --quiet -p vapi-sim --bin vapi-sim
cargo build --release --quiet -p agencydesk-core --example sync_bench
target_dir=${CARGO_TARGET_DIR:-target}
SIM=$target_dir/release/vapi-sim
BENCH=$target_dir/release/examples/sync_bench

work=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  # BENCH_KEEP_MILLION=DIR keeps the 1M-call data folder there (benches/app_start.sh uses it).
  if [ -n "${BENCH_KEEP_MILLION:-}" ] && [ -d "$work/million" ]; then
    rm -rf "$BENCH_KEEP_MILLION" && mv "$work/million" "$BENCH_KEEP_MILLION"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_sim NAME ORGS DAYS CALLS_PER_DAY: starts vapi-sim, waits for its manifest line.
start_sim() {
  "$SIM" --orgs "$2" --days "$3" --calls-per-day "$4" --settle-every-secs 0 \
    >"$work/$1.json" 2>"$work/$1.log" &
  sim_pid=$!
  for _ in $(seq 1 600); do
    if [ -s "$work/$1.json" ] && [ "$(tail -c 1 "$work/$1.json" | od -An -c | tr -d ' ')" = '\n' ]; then
      return 0
    fi
    kill -0 "$sim_pid" 2>/dev/null || { cat "$work/$1.log" >&2; return 1; }
    sleep 0.2
  done
  echo "vapi-sim did not start" >&2
  return 1
}
stop_sim() { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=""; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM," \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load before start: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== 5 orgs, $DAYS days x $CALLS_PER_DAY calls/day each =="
start_sim big 5 "$DAYS" "$CALLS_PER_DAY"
"$BENCH" main "$work/big.json" "$work" "$work/ours.json"
if [ -n "${BENCH_ROUNDS:-}" ]; then
  "$BENCH" interleaved "$work/big.json" "$work" "$work/interleaved.json"
fi
if [ "${BENCH_ENCODINGS:-0}" = 1 ]; then
  "$BENCH" encodings "$work/big.json" "$work" "$work/encodings.json"
fi
if [ "${BENCH_SKIP_NAIVE:-0}" != 1 ]; then
  python3 benches/naive_sync.py "$work/big.json" "$work" "$work/naive.json"
fi
stop_sim
rm -f "$work"/bulk.sqlite* "$work"/enc-*.sqlite*
"$BENCH" million "$work/big.json" "$work" "$work/million.json"

echo
echo "== 20 orgs, 30 days x 70 calls/day each =="
start_sim many 20 30 70
"$BENCH" resync "$work/many.json" "$work" "$work/resync20.json"
stop_sim

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
load = lambda name: json.load(open(os.path.join(work, name))) if os.path.exists(os.path.join(work, name)) else None
ours, naive, many = load("ours.json"), load("naive.json"), load("resync20.json")
million = load("million.json")
full = ours["full_s"]
limit_rust = max(ours["fetch_only_s"], ours["bulk_insert_s"])
print()
print("== summary ==")
print(f"full sync of {ours['calls']} calls ({ours['orgs']} orgs): {full:.2f} s, "
      f"{ours['calls'] / full:.0f} calls/s, database {ours['db_bytes'] / 1e6:.0f} MB")
print(f"raw limits (Rust): fetch only {ours['fetch_only_s']:.2f} s, bulk insert {ours['bulk_insert_s']:.2f} s")
print(f"  full sync / slower raw limit: {full / limit_rust:.2f}x (target: within 1.25x)")
print(f"cache on disk: {ours['bytes_per_call']:.0f} bytes per call after the full sync "
      f"(target: under 1500)")
if naive:
    limit_py = max(naive["fetch_only_s"], naive["bulk_insert_s"])
    print(f"naive script: {naive['naive_s']:.1f} s for {naive['naive_calls']} calls "
          f"({ours['calls'] - naive['naive_calls']} calls missed by createdAtLt paging)")
    print(f"  naive script / full sync: {naive['naive_s'] / full:.1f}x faster (target: at least 10x)")
    print(f"raw limits (Python {naive['python']}, SQLite {naive['sqlite']}): fetch only "
          f"{naive['fetch_only_s']:.2f} s, bulk insert {naive['bulk_insert_s']:.2f} s")
    print(f"  full sync / slower Python raw limit: {full / limit_py:.2f}x")
print(f"re-sync with nothing new: 5 orgs {ours['resync_s'] * 1e3:.0f} ms; "
      f"{many['orgs']} orgs {many['resync_median_s'] * 1e3:.0f} ms (median of 5; target: under 500 ms)")
v = ours["view"]
print(f"calls view on {ours['calls']} calls: first page {v['first_page_ms']:.1f} ms, page after {v['deep_offset']} rows "
      f"{v['deep_page_ms']:.1f} ms, assistant + 30 days {v['filtered_page_ms']:.1f} ms, "
      f"count {v['count_ms']:.1f} ms, stats {v['stats_ms']:.1f} ms")
if million:
    v = million["view"]
    print(f"{million['calls']} calls cached: {million['bytes_per_call']:.0f} bytes per call; calls view: "
          f"first page {v['first_page_ms']:.1f} ms, page after {v['deep_offset']} rows "
          f"{v['deep_page_ms']:.1f} ms, assistant + 30 days {v['filtered_page_ms']:.1f} ms, "
          f"count {v['count_ms']:.1f} ms, one call's JSON {million['call_json_ms']:.2f} ms; "
          f"calls stats of all orgs {v['stats_ms']:.0f} ms (medians of 3)")
    s = million.get("search")
    if s:
        print(f"full-text search over {s['calls']} calls: median {s['median_ms']:.1f} ms over "
              f"{len(s['queries'])} kinds of query (target: under 100 ms); index "
              f"{s['index_bytes'] / 1e6:.0f} MB ({s['index_bytes'] / s['calls']:.0f} bytes per call), "
              f"built for an existing cache in {s['build_s']:.1f} s")
PY
