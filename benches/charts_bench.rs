//! Chart benchmark (run by benches/charts.sh): a temporary SQLite cache with a million calls,
//! then the time to aggregate and draw a month's chart, as the Billing tab and the overview ask
//! for it. Prints figures; never judges them (the issue's target, under 50 ms, is printed beside).
//!
//! ```text
//! charts_bench [CALLS]      default 1,000,000 calls over 5 client orgs and 365 days
//! ```

use std::time::{Duration, Instant};

use agencydesk_core::billing::{sample_plans, save_plan, BillingError, Period};
use agencydesk_core::charts::{
    chart_data, chart_svg, render_png, Bucket, ChartKind, ChartRequest, ChartScope, DEFAULT_SIZE,
};
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{time, Store, StoreError};
use chrono::{Days, NaiveDate, TimeZone, Utc};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const ORGS: usize = 5;
const DAYS: u64 = 365;
const RUNS: usize = 7;
const TARGET_MS: f64 = 50.0;

fn main() -> BenchResult<()> {
    let calls: u64 = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 1_000_000,
    };
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join(Store::FILE_NAME))?;
    let orgs = seed_orgs(&store)?;

    let first_day = NaiveDate::from_ymd_opt(2025, 11, 1).ok_or("date")?;
    let started = Instant::now();
    insert_calls(&store, &orgs, calls, first_day)?;
    let elapsed = started.elapsed();
    println!(
        "inserted {calls} calls ({ORGS} orgs, {DAYS} days) in {:.1} s: {:.0} calls/s, rollup kept by triggers",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64()
    );
    store.read(|c| c.execute_batch("ANALYZE").map_err(StoreError::from))?;
    let size = std::fs::metadata(dir.path().join(Store::FILE_NAME))?.len();
    println!("database: {:.0} MB", size as f64 / 1e6);

    let month = Period::month(2026, 6)?;
    let year = Period::range(first_day, first_day + Days::new(DAYS - 1))?;
    let one = ChartScope::Client(orgs[0].clone());
    let cases = [
        (
            "one client, month, cost per day",
            one.clone(),
            month,
            Bucket::Day,
            ChartKind::Cost,
        ),
        (
            "one client, month, components",
            one.clone(),
            month,
            Bucket::Day,
            ChartKind::CostByComponent,
        ),
        (
            "one client, month, minutes/calls",
            one.clone(),
            month,
            Bucket::Day,
            ChartKind::MinutesAndCalls,
        ),
        (
            "one client, month, margin",
            one.clone(),
            month,
            Bucket::Day,
            ChartKind::Margin,
        ),
        (
            "all clients, month, margin",
            ChartScope::AllClients,
            month,
            Bucket::Day,
            ChartKind::Margin,
        ),
        (
            "one client, year per month, cost",
            one,
            year,
            Bucket::Month,
            ChartKind::Cost,
        ),
        (
            "all clients, year per month, margin",
            ChartScope::AllClients,
            year,
            Bucket::Month,
            ChartKind::Margin,
        ),
    ];
    println!();
    println!(
        "{:<38} {:>9} {:>9} {:>11} {:>9}   (median of {RUNS}; target < {TARGET_MS} ms for aggregate + SVG)",
        "chart", "calls", "data ms", "data+svg ms", "png ms"
    );
    for (label, scope, period, bucket, kind) in cases {
        let request = ChartRequest {
            scope,
            period,
            bucket,
            kind,
        };
        let data = store.read(|c| chart_data(c, &request))?;
        let data_ms = median(RUNS, || {
            store.read(|c| chart_data(c, &request))?;
            Ok(())
        })?;
        let svg_ms = median(RUNS, || {
            store.read(|c| chart_svg(c, &request))?;
            Ok(())
        })?;
        let png_ms = median(RUNS, || {
            render_png(&data, DEFAULT_SIZE)?;
            Ok(())
        })?;
        println!(
            "{label:<38} {:>9} {data_ms:>9.2} {svg_ms:>11.2} {png_ms:>9.2}{}",
            data.total_calls(),
            if svg_ms < TARGET_MS {
                ""
            } else {
                "   over target"
            }
        );
    }

    // What the rollup saves: the same month's per-day totals summed from the calls themselves.
    let (start, end) = (month.start_ms(), month.end_ms());
    let raw_ms = median(RUNS, || {
        store.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT created_ms / 86400000, COUNT(*), SUM(cost_micros) FROM calls
                 WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3 GROUP BY 1",
            )?;
            let rows = stmt.query_map((&orgs[0], start, end), |r| r.get::<_, i64>(1))?;
            rows.collect::<Result<Vec<_>, _>>()?;
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    })?;
    println!();
    println!("for comparison, the same month summed from the calls table instead of the rollup: {raw_ms:.2} ms");
    Ok(())
}

fn seed_orgs(store: &Store) -> BenchResult<Vec<String>> {
    let plans = sample_plans();
    let ids: Vec<String> = (0..ORGS).map(|i| format!("bench-org-{i}")).collect();
    store.write(|tx| {
        for (i, id) in ids.iter().enumerate() {
            clients::upsert(
                tx,
                &ClientOrgRow {
                    id: id.clone(),
                    name: format!("Bench client {i}"),
                    base_url: "http://127.0.0.1:9".into(),
                    key_fingerprint: None,
                    kind: OrgKind::Client,
                    status: OrgStatus::Linked,
                    linked_at: None,
                    updated_at: time::now(),
                },
            )?;
            save_plan(tx, id, &plans[i % plans.len()])?;
        }
        Ok::<_, BillingError>(())
    })?;
    Ok(ids)
}

/// One transaction, one cached statement, a large page cache: the fastest way SQLite takes rows.
fn insert_calls(
    store: &Store,
    orgs: &[String],
    calls: u64,
    first_day: NaiveDate,
) -> BenchResult<()> {
    // A big page cache: a transaction larger than the cache spills pages to the file midway.
    store.read(|c| {
        c.pragma_update(None, "cache_size", -1_048_576)
            .map_err(StoreError::from)
    })?;
    let day0 = Utc
        .from_utc_datetime(&first_day.and_hms_opt(0, 0, 0).ok_or("time")?)
        .timestamp_millis();
    let span_ms = (DAYS * 86_400_000) as i64;
    let raw = br#"{"bench":true}"#.as_slice();
    store.write(|tx| {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO calls (id, org_id, assistant_id, type, status, created_ms, updated_ms,
                                started_ms, ended_ms, duration_seconds, cost_micros,
                                transport_micros, stt_micros, llm_micros, tts_micros,
                                vapi_micros, chat_micros, minutes, raw)
             VALUES (?1, ?2, ?3, 'inboundPhoneCall', 'ended', ?4, ?5, ?4, ?5, ?6, ?7, ?8, ?9,
                     ?10, ?11, ?12, 0, ?13, ?14)",
        )?;
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..calls {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = seed >> 11;
            let org = &orgs[(i % orgs.len() as u64) as usize];
            let created = day0 + (r % span_ms as u64) as i64;
            let duration_ms = 5_000 + (r % 600_000) as i64;
            let cost = duration_ms * 2; // about 0.12 USD a minute, in micro-USD
            let parts = [cost / 10, cost / 5, cost / 4, cost / 5];
            stmt.execute(rusqlite::params![
                format!("call-{i:08}"),
                org,
                format!("asst-{}", r % 3),
                created,
                created + duration_ms,
                duration_ms as f64 / 1000.0,
                cost,
                parts[0],
                parts[1],
                parts[2],
                parts[3],
                cost - parts.iter().sum::<i64>(),
                duration_ms as f64 / 60_000.0,
                raw,
            ])?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(())
}

/// Median wall time of `runs` runs, in milliseconds.
fn median(runs: usize, mut f: impl FnMut() -> BenchResult<()>) -> BenchResult<f64> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times[runs / 2].as_secs_f64() * 1000.0)
}
