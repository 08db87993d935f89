//! Client report benchmark (run by benches/report.sh): one client's month read from a large call
//! cache (`reports::client_month`) and drawn as the PDF (`documents::report_pdf`), as
//! `agencydesk report` does. Prints figures; never judges them (the issue's target, under
//! 300 ms, is printed beside).
//!
//! ```text
//! report_bench DATA_DIR          an agency's data folder (benches/sync.sh keeps its 1M-call copy)
//! report_bench --synthetic N     a temporary cache of N calls: 5 client orgs over 365 days,
//!                                each row with a 1,450-byte incompressible JSON stand-in (the
//!                                size of a real compressed call, so as many pages are read)
//! ```
//!
//! The client is the one with the most calls, the month its latest complete one with calls.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use agencydesk_core::billing::Period;
use agencydesk_core::documents::{report_pdf, Letterhead};
use agencydesk_core::reports::client_month;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::sync::backfill_success;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const RUNS: usize = 7;
const TARGET_MS: f64 = 300.0;
const ORGS: u64 = 5;
const DAYS: u64 = 365;
/// About what one real call takes in the cache (README: 1,462 bytes a call with 1M calls).
const RAW_BYTES: usize = 1_450;

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let _temp;
    let path = match args.as_slice() {
        [flag, n] if flag == "--synthetic" => {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join(Store::FILE_NAME);
            _temp = dir;
            let started = Instant::now();
            fill(&Store::open(&path)?, n.parse()?)?;
            println!(
                "synthetic cache of {n} calls written in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            path
        }
        [dir] => {
            let path = PathBuf::from(dir).join(Store::FILE_NAME);
            // As the app does when it opens a cache from before the verdicts were kept.
            let started = Instant::now();
            let read = backfill_success(&Store::open(&path)?)?;
            if read > 0 {
                println!(
                    "success verdicts read from {read} cached calls in {:.1} s (once, after the upgrade)",
                    started.elapsed().as_secs_f64()
                );
            }
            path
        }
        _ => return Err("usage: report_bench DATA_DIR | report_bench --synthetic CALLS".into()),
    };
    let store = Store::open(&path)?;
    let (calls, bytes): (i64, i64) = store.read(|c| {
        Ok::<_, StoreError>(c.query_row(
            "SELECT (SELECT COUNT(*) FROM calls),
                    (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    })?;
    let (client, latest): (String, String) = store.read(|c| {
        Ok::<_, StoreError>(c.query_row(
            "SELECT org_id, MAX(created_at) FROM calls GROUP BY org_id ORDER BY COUNT(*) DESC
             LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    })?;
    let month = month_before(&latest)?;
    println!(
        "cache: {calls} calls, {:.0} MB; client {client}, {}",
        bytes as f64 / 1e6,
        month.label()
    );

    let letterhead = Letterhead {
        name: "Bench agency".into(),
        ..Letterhead::default()
    };
    let read_first = Instant::now();
    let data = store.read(|c| client_month(c, &client, &month))?;
    let first_ms = read_first.elapsed().as_secs_f64() * 1000.0;
    let read_ms = median(|| {
        store.read(|c| client_month(c, &client, &month))?;
        Ok(())
    })?;
    let pdf_ms = median(|| {
        report_pdf(&data, &letterhead)?;
        Ok(())
    })?;
    let whole_ms = median(|| {
        let data = store.read(|c| client_month(c, &client, &month))?;
        report_pdf(&data, &letterhead)?;
        Ok(())
    })?;
    let bytes = report_pdf(&data, &letterhead)?.len();
    println!(
        "one client-month report over {} calls of the month ({} with a success verdict), {} KB PDF",
        data.totals.calls,
        data.success.evaluated,
        bytes / 1024
    );
    println!(
        "  read the month: first {first_ms:.1} ms, then {read_ms:.1} ms; draw the PDF: {pdf_ms:.1} ms"
    );
    println!(
        "  read + draw: {whole_ms:.1} ms (median of {RUNS}; target under {TARGET_MS:.0} ms){}",
        if whole_ms < TARGET_MS {
            ""
        } else {
            "   over target"
        }
    );
    Ok(())
}

/// The calendar month before the one of `latest` (a stored timestamp): the last complete one.
fn month_before(latest: &str) -> BenchResult<Period> {
    let day = NaiveDate::parse_from_str(latest.get(..10).ok_or("timestamp")?, "%Y-%m-%d")?;
    let (year, month) = match day.month() {
        1 => (day.year() - 1, 12),
        m => (day.year(), m - 1),
    };
    Ok(Period::month(year, month)?)
}

/// `calls` calls spread over 5 client orgs and 365 days, in one transaction (the rollup triggers
/// fire as in a sync), with a realistic mix of endings and success verdicts.
fn fill(store: &Store, calls: u64) -> BenchResult<()> {
    store.read(|c| {
        c.pragma_update(None, "cache_size", -1_048_576)
            .map_err(StoreError::from)
    })?;
    let orgs: Vec<String> = (0..ORGS).map(|i| format!("bench-org-{i}")).collect();
    let day0 = Utc
        .from_utc_datetime(
            &NaiveDate::from_ymd_opt(2025, 11, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .ok_or("date")?,
        )
        .timestamp_millis();
    let span_ms = DAYS * 86_400_000;
    let reasons = [
        "customer-ended-call",
        "assistant-ended-call",
        "assistant-forwarded-call",
        "voicemail",
        "customer-did-not-answer",
        "silence-timed-out",
        "pipeline-error-openai-llm-failed",
    ];
    store.write(|tx| {
        for (i, id) in orgs.iter().enumerate() {
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
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO calls (id, org_id, assistant_id, type, status, ended_reason, created_at,
                                updated_at, started_at, ended_at, duration_seconds, raw, success)
             VALUES (?1, ?2, ?3, 'inboundPhoneCall', 'ended', ?4, ?5, ?6, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut raw = vec![0u8; RAW_BYTES];
        for i in 0..calls {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let r = seed >> 11;
            // Bytes that do not compress, like a zstd frame.
            for (j, b) in raw.iter_mut().enumerate() {
                *b = (seed.rotate_left(j as u32 % 64) >> 24) as u8 ^ j as u8;
            }
            let created = day0 + (r % span_ms) as i64;
            let duration_ms = 5_000 + (r % 600_000) as i64;
            let at = |ms: i64| {
                Utc.timestamp_millis_opt(ms)
                    .single()
                    .map(time::format)
                    .unwrap_or_default()
            };
            // Two in three calls evaluated pass/fail, most of them passed.
            let success = match r % 12 {
                0..=5 => Some(true),
                6 | 7 => Some(false),
                _ => None,
            };
            stmt.execute(rusqlite::params![
                format!("call-{i:08}"),
                &orgs[(i % ORGS) as usize],
                format!("asst-{}", r % 3),
                reasons[(r % reasons.len() as u64) as usize],
                at(created),
                at(created + duration_ms),
                duration_ms as f64 / 1000.0,
                &raw,
                success,
            ])?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(())
}

/// Median wall time of [`RUNS`] runs, in milliseconds.
fn median(mut f: impl FnMut() -> BenchResult<()>) -> BenchResult<f64> {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times[RUNS / 2].as_secs_f64() * 1000.0)
}
