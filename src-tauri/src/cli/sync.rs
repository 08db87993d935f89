//! `agencydesk sync`: copies the client orgs' calls into the local cache, showing live progress
//! on a terminal, then a summary per org. Exit status: 0 every org synced, 1 an org failed (each
//! is named on standard error) or the sync could not start, 130 interrupted (Ctrl-C; the next
//! sync resumes where this one stopped).

mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use agencydesk_core::agency::Agency;
use agencydesk_core::error::ErrorPayload;
use agencydesk_core::sync::{
    CancellationToken, OrgSyncSummary, SyncOptions, SyncOutcome, SyncReport,
};
use serde::Serialize;

use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;
use progress::Progress;

// Transitional: `calls` still opens the agency through here; it moves to
// `session::with_agency` when it becomes a call into core.

/// Exit status after Ctrl-C, as shells report a process stopped by SIGINT.
const EXIT_INTERRUPTED: u8 = 130;

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Sync only this org (its Vapi org ID). Default: every client org that has a key.
    #[arg(long)]
    pub org: Option<String>,
    /// Print the summary as JSON on standard output (live progress, if any, goes to standard
    /// error).
    #[arg(long)]
    pub json: bool,
}

/// One org in the summary: core's summary plus how long the org took.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OrgLine<'a> {
    #[serde(flatten)]
    summary: &'a OrgSyncSummary,
    duration_ms: u64,
}

/// `--json` output.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSummary<'a> {
    /// Every org synced completely.
    ok: bool,
    elapsed_ms: u64,
    orgs: Vec<OrgLine<'a>>,
}

pub async fn run(demo: bool, args: SyncArgs) -> ExitCode {
    match sync(demo, &args).await {
        Ok(report) => exit_status(&report),
        Err(err) => {
            eprintln!("agencydesk: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn sync(demo: bool, args: &SyncArgs) -> Result<SyncReport, AppError> {
    let (report, progress) = with_agency(demo, |session| async move {
        let synced = sync_with_progress(&session.agency, args).await?;
        report_spend_alerts(&session.agency).await;
        super::recordings::after_sync(&session.agency).await;
        Ok(synced)
    })
    .await?;
    let text = if args.json {
        json_summary(&report, &progress)?
    } else {
        text_summary(&report, &progress)
    };
    write_stdout(&text)?;
    Ok(report)
}

/// After every sync, the spend thresholds this month's calls crossed for the first time, on
/// standard error; `agencydesk alerts check` lists them all and sets the exit status. A check
/// that cannot run does not fail the sync.
async fn report_spend_alerts(agency: &Agency) {
    match agency.check_spend_alerts_after_sync().await {
        Ok(None) => {}
        Ok(Some(check)) => {
            for crossed in check.crossed.iter().filter(|c| c.first_time) {
                let whose = crossed
                    .threshold
                    .org_name
                    .as_deref()
                    .unwrap_or("the agency (all clients)");
                eprintln!(
                    "Spend alert: {whose} reached {} USD this month (spent {} USD so far).",
                    crossed.at, crossed.spent
                );
            }
        }
        Err(e) => eprintln!("agencydesk: spend alerts not checked: {e}"),
    }
}

/// Core's sync, stopped by Ctrl-C, with live lines on a terminal. The progress comes back for
/// the summary's per-org durations, which count from the sync's start.
async fn sync_with_progress(
    agency: &Agency,
    args: &SyncArgs,
) -> Result<(SyncReport, Progress), AppError> {
    let cancel = CancellationToken::new();
    let interrupt = tokio::spawn({
        let cancel = cancel.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!(
                    "\nagencydesk: stopping after the current page (Ctrl-C again to quit now)"
                );
                cancel.cancel();
                // A second Ctrl-C ends the process: what is committed is consistent anyway.
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(i32::from(EXIT_INTERRUPTED));
                }
            }
        }
    });

    let progress = Progress::new();
    let stop_drawing = CancellationToken::new();
    // Live lines only for a person watching: stdout must be a terminal, and in JSON mode (where
    // stdout carries the summary) the lines go to stderr, which must be one too.
    let live: Option<Box<dyn Write + Send>> = match (
        std::io::stdout().is_terminal(),
        args.json,
        std::io::stderr().is_terminal(),
    ) {
        (true, false, _) => Some(Box::new(std::io::stdout())),
        (true, true, true) => Some(Box::new(std::io::stderr())),
        _ => None,
    };
    let drawing = live.map(|out| tokio::spawn(progress.clone().draw(out, stop_drawing.clone())));

    let result = agency
        .sync_calls(
            args.org.as_deref(),
            SyncOptions::default(),
            progress.sink(),
            cancel,
        )
        .await;
    stop_drawing.cancel();
    if let Some(drawing) = drawing {
        let _ = drawing.await;
    }
    interrupt.abort();
    Ok((result?, progress))
}

fn exit_status(report: &SyncReport) -> ExitCode {
    let failed: Vec<&OrgSyncSummary> = report.failed().collect();
    for org in &failed {
        let why = org
            .error
            .as_ref()
            .map_or("no reason given", |e| e.message.as_str());
        eprintln!(
            "agencydesk: the sync of {} ({}) failed: {why}",
            org.org_name, org.org_id
        );
    }
    if !failed.is_empty() {
        ExitCode::FAILURE
    } else if report.was_cancelled() {
        ExitCode::from(EXIT_INTERRUPTED)
    } else {
        ExitCode::SUCCESS
    }
}

fn millis(duration: Option<Duration>) -> u64 {
    duration.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn json_summary(report: &SyncReport, progress: &Progress) -> Result<String, AppError> {
    let summary = JsonSummary {
        ok: report.all_done(),
        elapsed_ms: report.elapsed_ms,
        orgs: report
            .orgs
            .iter()
            .map(|summary| OrgLine {
                summary,
                duration_ms: millis(progress.duration_of(&summary.org_id)),
            })
            .collect(),
    };
    json(&summary)
}

fn outcome_word(outcome: SyncOutcome) -> &'static str {
    match outcome {
        SyncOutcome::Done => "done",
        SyncOutcome::Failed => "FAILED",
        SyncOutcome::Cancelled => "cancelled",
    }
}

fn seconds(ms: u64) -> String {
    format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
}

fn text_summary(report: &SyncReport, progress: &Progress) -> String {
    if report.orgs.is_empty() {
        return "No client org to sync. Link one with: agencydesk clients link\n".to_owned();
    }
    let done = report
        .orgs
        .iter()
        .filter(|o| o.outcome == SyncOutcome::Done)
        .count();
    let mut out = format!(
        "Synced {done} of {} orgs in {}.\n",
        report.orgs.len(),
        seconds(report.elapsed_ms)
    );
    let rows = report.orgs.iter().map(|o| {
        [
            o.org_name.clone(),
            outcome_word(o.outcome).to_owned(),
            o.calls.to_string(),
            o.pages.to_string(),
            o.cached_calls.to_string(),
            seconds(millis(progress.duration_of(&o.org_id))),
        ]
    });
    // Names and results left-aligned, figures right-aligned.
    out.push_str(&table(
        [
            "CLIENT ORG",
            "RESULT",
            "CALLS STORED",
            "PAGES",
            "CACHED",
            "TIME",
        ],
        [
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        rows,
    ));
    for org in &report.orgs {
        if let Some(ErrorPayload { message, .. }) = &org.error {
            out.push_str(&format!("\n{}: {message}\n", org.org_name));
        }
    }
    if report.was_cancelled() {
        out.push_str("\nCancelled: run agencydesk sync again to continue where it stopped.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::progress::phase_word;
    use super::*;
    use agencydesk_core::sync::SyncPhase;

    fn summary(name: &str, outcome: SyncOutcome, error: Option<&str>) -> OrgSyncSummary {
        OrgSyncSummary {
            org_id: format!("id-{name}"),
            org_name: name.to_owned(),
            outcome,
            backfill: true,
            pages: 3,
            calls: 2500,
            cached_calls: 2500,
            watermark: None,
            error: error.map(|m| ErrorPayload {
                code: agencydesk_core::error::Code::Unauthorized,
                message: m.to_owned(),
            }),
        }
    }

    #[test]
    fn text_summary_lists_each_org_and_explains_failures() {
        let report = SyncReport {
            orgs: vec![
                summary("Acme", SyncOutcome::Done, None),
                summary("Bright", SyncOutcome::Failed, Some("Bright: key revoked")),
            ],
            elapsed_ms: 3250,
        };
        let text = text_summary(&report, &Progress::new());
        assert!(text.starts_with("Synced 1 of 2 orgs in 3.2 s."), "{text}");
        assert!(text.contains("FAILED"), "{text}");
        assert!(text.contains("\nBright: Bright: key revoked\n"), "{text}");
        let table_line = text.lines().find(|l| l.starts_with("Acme")).unwrap();
        assert!(table_line.contains("2500"), "{table_line}");
        assert_eq!(phase_word(SyncPhase::Backfill), "history");
    }

    #[test]
    fn json_summary_flattens_core_fields_and_adds_duration() {
        let report = SyncReport {
            orgs: vec![summary("Acme", SyncOutcome::Done, None)],
            elapsed_ms: 10,
        };
        let json: serde_json::Value =
            serde_json::from_str(&json_summary(&report, &Progress::new()).unwrap()).unwrap();
        assert_eq!(json["ok"], true);
        let org = &json["orgs"][0];
        assert_eq!(org["orgName"], "Acme");
        assert_eq!(org["outcome"], "done");
        assert_eq!(org["cachedCalls"], 2500);
        assert_eq!(org["durationMs"], 0);
        assert!(org["error"].is_null());
    }
}
