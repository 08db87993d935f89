//! `agencydesk reconcile --org ID --month YYYY-MM`: Vapi's daily call count and cost against the
//! cache's. Says "cache matches Vapi" (exit 0) or lists the days that differ (exit 3).

use agencydesk_core::billing::Period;
use agencydesk_core::sync::Reconciliation;
use chrono::NaiveDate;
use clap::Args;

use super::args::{id, month};
use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = id)]
    pub org: String,
    /// The calendar month to compare, e.g. 2026-10 (UTC days).
    #[arg(long, value_parser = month)]
    pub month: Period,
    /// Re-read the days that differ from Vapi (whole days: lost calls come back, calls Vapi
    /// deleted leave the cache), then compare again.
    #[arg(long)]
    pub resync: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(demo: bool, args: ReconcileArgs) -> Result<(), AppError> {
    let org = args.org.clone();
    let (resync, json_wanted) = (args.resync, args.json);
    let outcome = with_agency(demo, |session| async move {
        let first = session.agency.reconcile(&args.org, args.month).await?;
        if first.matches || !resync {
            return Ok(first);
        }
        let days: Vec<NaiveDate> = first
            .differing_days
            .iter()
            .filter_map(|d| NaiveDate::parse_from_str(&d.day, "%Y-%m-%d").ok())
            .collect();
        let read = session.agency.resync_days(&args.org, &days).await?;
        eprintln!("Re-read {} day(s) from Vapi: {read} call(s).", days.len());
        Ok(session.agency.reconcile(&args.org, args.month).await?)
    })
    .await?;
    write_stdout(&if json_wanted {
        json(&outcome)?
    } else {
        text(&outcome)
    })?;
    if outcome.matches {
        Ok(())
    } else {
        Err(AppError::ReconcileMismatch {
            days: outcome.differing_days.len(),
            org_id: org,
        })
    }
}

fn text(r: &Reconciliation) -> String {
    let head = format!(
        "{} ({}), {} to {}: Vapi {} calls, {} USD; cache {} calls, {} USD\n",
        r.org_name,
        r.org_id,
        r.from,
        r.to,
        r.vapi_calls,
        r.vapi_cost,
        r.cached_calls,
        r.cached_cost
    );
    if r.matches {
        return format!("{head}cache matches Vapi\n");
    }
    let rows = r.differing_days.iter().map(|d| {
        [
            d.day.clone(),
            d.vapi_calls.to_string(),
            d.cached_calls.to_string(),
            d.vapi_cost.to_string(),
            d.cached_cost.to_string(),
        ]
    });
    format!(
        "{head}{}",
        table(
            [
                "DAY",
                "VAPI CALLS",
                "CACHED CALLS",
                "VAPI USD",
                "CACHED USD"
            ],
            [
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right
            ],
            rows,
        )
    )
}
