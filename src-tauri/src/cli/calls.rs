//! `agencydesk calls ...`: what the local call cache holds, one call in full.

mod detail_text;

use std::path::PathBuf;

use agencydesk_core::billing::Period;
use agencydesk_core::calls::{CallSearch, OrgCallStats};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::args;
use super::output::{json, table, write_stdout, Align};
use super::session::{prepare_cache, with_agency};
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    /// Per org: cached calls, the exact sum of their cost (USD) and the newest update seen.
    Stats {
        /// Only this org (its Vapi org ID). Default: every client org.
        #[arg(long)]
        org: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One cached call: the conversation, summary and evaluation, why it ended, the cost split,
    /// real duration beside billed minutes. The customer's number shows only its last 4 digits
    /// unless --reveal.
    Show {
        /// The call's ID (any client's).
        id: String,
        /// Print the call's JSON as cached (messages included) instead of a report.
        #[arg(long)]
        json: bool,
        /// Show the customer's full phone number.
        #[arg(long)]
        reveal: bool,
    },
    /// Search every client's cached transcripts and summaries, newest first: words (all must
    /// appear), "a phrase", prefix*. Prints each call with a snippet, matches between **.
    Search(SearchArgs),
    /// A zip for a Vapi support ticket: the call as cached, its transcript, logs and recording,
    /// and a summary of the discrepancy (billed against real duration, costs[] against cost).
    /// With --flagged, one zip per call the billing audit finds billed for other minutes than it
    /// lasted, into the folder --out.
    Dispute(DisputeArgs),
}

#[derive(Debug, Args)]
pub struct DisputeArgs {
    /// The call's ID (any client's); not with --flagged.
    #[arg(value_parser = args::id, required_unless_present = "flagged", conflicts_with = "flagged")]
    id: Option<String>,
    /// Every call of --org in --month that the billing audit flags.
    #[arg(long, requires_all = ["org", "month"])]
    flagged: bool,
    /// The client org (with --flagged).
    #[arg(long, value_parser = args::id)]
    org: Option<String>,
    /// The month, YYYY-MM (with --flagged).
    #[arg(long, value_parser = args::month)]
    month: Option<Period>,
    /// The zip file to write (a folder with --flagged).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, e.g. '"root canal" cancel*'.
    query: String,
    /// Only this client org (its Vapi org ID).
    #[arg(long)]
    org: Option<String>,
    /// Only calls taken by this assistant (its ID).
    #[arg(long)]
    assistant: Option<String>,
    /// Calls created on or after this day (UTC), e.g. 2026-10-01.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Calls created on or before this day (UTC).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only calls that ended this way, e.g. customer-ended-call.
    #[arg(long)]
    ended_reason: Option<String>,
    /// Calls costing at least this many USD.
    #[arg(long)]
    min_cost: Option<String>,
    /// Calls costing at most this many USD.
    #[arg(long)]
    max_cost: Option<String>,
    /// How many calls at most.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=200))]
    limit: u32,
    /// Print a JSON array of {id, orgId, createdAt, snippet} instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(demo: bool, command: CallsCommand) -> Result<(), AppError> {
    match command {
        CallsCommand::Stats { org, json } => stats(demo, org.as_deref(), json).await,
        CallsCommand::Show { id, json, reveal } => show(demo, &id, json, reveal).await,
        CallsCommand::Search(args) => search(demo, args).await,
        CallsCommand::Dispute(args) => dispute(demo, args).await,
    }
}

async fn dispute(demo: bool, a: DisputeArgs) -> Result<(), AppError> {
    let text = with_agency(demo, |session| async move {
        prepare_cache(&session, a.org.as_deref(), false).await?;
        let agency = &session.agency;
        let kits = match (&a.id, &a.org, a.month) {
            (Some(id), _, _) => vec![agency.dispute_kit(id, &a.out).await?],
            (None, Some(org), Some(month)) => {
                agency.dispute_kits_flagged(org, month, &a.out).await?.kits
            }
            // clap requires one of the two forms; this only guards against a change there.
            _ => {
                return Err(args::invalid_input(
                    "Give a call ID, or --flagged --org ID --month YYYY-MM.",
                ))
            }
        };
        let mut out = String::new();
        if kits.is_empty() {
            out.push_str("No call flagged: no dispute kit written.\n");
        }
        for kit in &kits {
            let missing: Vec<&str> = [
                (!kit.recording).then_some("recording"),
                (!kit.logs).then_some("call logs"),
            ]
            .into_iter()
            .flatten()
            .collect();
            out.push_str(&format!("{}: {}", kit.call_id, kit.path));
            if !missing.is_empty() {
                out.push_str(&format!(
                    " (without {}: see summary.txt)",
                    missing.join(" and ")
                ));
            }
            out.push('\n');
        }
        Ok(out)
    })
    .await?;
    write_stdout(&text)
}

/// What `calls search --json` prints of each hit.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HitJson<'a> {
    id: &'a str,
    org_id: &'a str,
    created_at: &'a str,
    snippet: &'a str,
}

async fn search(demo: bool, args: SearchArgs) -> Result<(), AppError> {
    let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let query = CallSearch {
        text: args.query,
        org_id: args.org,
        assistant_id: args.assistant,
        from: args.from.and_then(day),
        to: args.to.and_then(|d| d.succ_opt()).and_then(day),
        ended_reason: args.ended_reason,
        min_cost: args.min_cost,
        max_cost: args.max_cost,
        limit: Some(args.limit),
        after: None,
    };
    let page = with_agency(demo, |session| async move {
        prepare_cache(&session, None, false).await?;
        Ok(session.agency.search_calls(query).await?)
    })
    .await?;
    write_stdout(&if args.json {
        let hits: Vec<HitJson<'_>> = page
            .hits
            .iter()
            .map(|h| HitJson {
                id: &h.id,
                org_id: &h.org_id,
                created_at: &h.created_at,
                snippet: &h.snippet,
            })
            .collect();
        json(&hits)?
    } else {
        detail_text::hits(&page.hits)
    })
}

async fn show(demo: bool, id: &str, as_json: bool, reveal: bool) -> Result<(), AppError> {
    let text = with_agency(demo, |session| async move {
        prepare_cache(&session, None, false).await?;
        Ok(if as_json {
            json(&session.agency.cached_call(id, reveal).await?)?
        } else {
            detail_text::report(&session.agency.call_detail(id, reveal).await?)
        })
    })
    .await?;
    write_stdout(&text)
}

async fn stats(demo: bool, org: Option<&str>, as_json: bool) -> Result<(), AppError> {
    let found = with_agency(demo, |session| async move {
        Ok(session.agency.client_calls_stats(org).await?)
    })
    .await?;
    write_stdout(&if as_json {
        json(&found)?
    } else {
        stats_table(&found)
    })
}

fn stats_table(stats: &[OrgCallStats]) -> String {
    if stats.is_empty() {
        return "No client orgs linked yet. Link one with: agencydesk clients link\n".to_owned();
    }
    table(
        ["CLIENT ORG", "CALLS", "COST (USD)", "NEWEST UPDATE"],
        [Align::Left, Align::Right, Align::Right, Align::Left],
        stats.iter().map(|s| {
            [
                s.org_name.clone(),
                s.calls.to_string(),
                s.cost_sum.clone(),
                s.newest_updated_at
                    .clone()
                    .unwrap_or_else(|| "never synced".to_owned()),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_right_aligns_figures() {
        let stats = vec![
            OrgCallStats {
                org_id: "a".into(),
                org_name: "Acme".into(),
                calls: 12,
                cost_sum: "1.500000".into(),
                cost_sum_micros: 1_500_000,
                newest_updated_at: Some("2026-11-01T00:00:00.000Z".into()),
            },
            OrgCallStats {
                org_id: "b".into(),
                org_name: "Bright Smiles".into(),
                calls: 0,
                cost_sum: "0.000000".into(),
                cost_sum_micros: 0,
                newest_updated_at: None,
            },
        ];
        let text = stats_table(&stats);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[1].starts_with("Acme              12    1.500000  2026-11-01"),
            "{text}"
        );
        assert!(lines[2].ends_with("never synced"), "{text}");
    }
}
