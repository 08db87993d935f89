//! Client report benchmark (run by benches/report.sh): one client's month read from a large call
//! cache (`reports::client_month`) and drawn as the PDF (`documents::report_pdf`), as
//! `agencydesk report` does. Prints figures; never judges them (the issue's target, under
//! 300 ms, is printed beside).
//!
//! ```text
//! report_bench DATA_DIR          an agency's data folder (benches/sync.sh keeps its 1M-call copy)
//! report_bench --synthetic N DIR the synthetic cache of about N realistic calls in DIR
//!                                (support/million.rs: the simulator's year of calls for 5
//!                                clients, copied), built there unless already there
//! ```
//!
//! The client is the one with the most calls, the month its latest complete one with calls.

#[path = "support/million.rs"]
mod million;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use agencydesk_core::billing::Period;
use agencydesk_core::documents::{report_pdf, Letterhead};
use agencydesk_core::reports::client_month;
use agencydesk_core::store::{Store, StoreError};
use agencydesk_core::sync::backfill_success;
use chrono::{Datelike, NaiveDate};

use million::BenchResult;

const RUNS: usize = 7;
const TARGET_MS: f64 = 300.0;

fn main() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = match args.as_slice() {
        [flag, n, dir] if flag == "--synthetic" => million::cache(&PathBuf::from(dir), n.parse()?)?,
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
        _ => {
            return Err("usage: report_bench DATA_DIR | report_bench --synthetic CALLS DIR".into())
        }
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
            "SELECT org_id, MAX(created_ms) FROM calls GROUP BY org_id ORDER BY COUNT(*) DESC
             LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    agencydesk_core::store::time::format_ms(r.get(1)?),
                ))
            },
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
