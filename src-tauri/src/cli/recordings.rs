//! `agencydesk recordings archive`: every cached call's recording into the archive folder
//! (`recordings location` shows it, `recordings move` moves it),
//! with live progress on standard error when it is a terminal; a summary on standard output.
//! Interrupted (Ctrl-C, or killed), the next run continues: files already archived and whole
//! are not fetched again.

mod location;
mod progress;

use agencydesk_core::agency::Agency;
use agencydesk_core::recordings::{AfterSyncReport, ArchiveReport, AT_RISK_DAYS};
use agencydesk_core::sync::CancellationToken;
use chrono::NaiveDate;
use clap::Subcommand;

use super::args;
use super::output::{json, write_stdout};
use super::session::{prepare_cache, with_agency};
use crate::error::AppError;
use progress::LiveLine;

#[derive(Debug, Subcommand)]
pub enum RecordingsCommand {
    /// Fetch the recordings of cached calls into <archive>/<client>/<yyyy-mm>/<call id>.wav
    /// (<archive>: <data dir>/archive unless moved)
    /// (a checksum each), a few at a time. Run it again to continue after an interruption:
    /// nothing already archived is fetched again.
    Archive {
        /// Only this client org (its Vapi org ID). Default: every client org that has a key.
        #[arg(long, value_parser = args::id)]
        org: Option<String>,
        /// Only calls created on or after this day (UTC), e.g. 2026-10-01.
        #[arg(long)]
        since: Option<NaiveDate>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Calls whose recordings are not archived and that Vapi deletes within --days (after the
    /// org's retention, as the last sync read it), oldest first.
    AtRisk {
        #[arg(long, default_value_t = AT_RISK_DAYS)]
        days: u32,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Where the recordings archive is, and how much it holds.
    Location {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move the recordings archive into FOLDER (missing, empty, or an agencydesk archive): a
    /// rename on the same disk, else a copy checked file by file before the old files go.
    /// Interrupted, run it again: nothing is lost and nothing is copied twice.
    Move { folder: std::path::PathBuf },
    /// "Archive new recordings after each sync": show it, or switch it on or off. The app and
    /// `agencydesk sync` both follow it.
    AfterSync {
        #[arg(value_parser = ["on", "off"])]
        state: Option<String>,
    },
}

pub async fn run(demo: bool, command: RecordingsCommand) -> Result<(), AppError> {
    match command {
        RecordingsCommand::Archive { org, since, json } => {
            archive(demo, org.as_deref(), since, json).await
        }
        RecordingsCommand::AtRisk {
            days,
            json: as_json,
        } => {
            let calls = with_agency(demo, |session| async move {
                Ok(session.agency.recordings_at_risk(days).await?)
            })
            .await?;
            write_stdout(&if as_json {
                json(&calls)?
            } else if calls.is_empty() {
                format!("No call loses its recording within {days} days.\n")
            } else {
                let mut out = format!(
                    "{} call(s) lose their recording within {days} days; keep them with: agencydesk recordings archive\n",
                    calls.len()
                );
                for c in &calls {
                    out.push_str(&format!(
                        "  {}  {}  {} (Vapi deletes it {})\n",
                        c.created_at, c.org_name, c.call_id, c.ages_out_at
                    ));
                }
                out
            })
        }
        RecordingsCommand::Location { json } => location::show(demo, json).await,
        RecordingsCommand::Move { folder } => location::relocate(demo, folder).await,
        RecordingsCommand::AfterSync { state } => after_sync_setting(demo, state.as_deref()).await,
    }
}

async fn after_sync_setting(demo: bool, state: Option<&str>) -> Result<(), AppError> {
    let settings = with_agency(demo, |session| async move {
        Ok(match state {
            Some(state) => session.agency.set_archive_after_sync(state == "on")?,
            None => session.agency.settings()?,
        })
    })
    .await?;
    write_stdout(&format!(
        "Archive new recordings after each sync: {}\n",
        if settings.archive_after_sync {
            "on"
        } else {
            "off"
        }
    ))
}

/// After `agencydesk sync`: the orgs' retention remembered and, when the setting is on, new
/// recordings archived (live line on a terminal). Reported on standard error; a failure here
/// does not fail the sync.
pub(super) async fn after_sync(agency: &Agency) {
    let live = LiveLine::start();
    let result = agency
        .after_sync(live.sink(), CancellationToken::new())
        .await;
    live.finish().await;
    match result {
        Ok(AfterSyncReport {
            archive: Some(report),
            ..
        }) => eprint!("{}", summary(&report)),
        Ok(_) => {}
        Err(e) => eprintln!("agencydesk: after the sync: {e}"),
    }
}

async fn archive(
    demo: bool,
    org: Option<&str>,
    since: Option<NaiveDate>,
    as_json: bool,
) -> Result<(), AppError> {
    let report = with_agency(demo, |session| async move {
        prepare_cache(&session, org, false).await?;
        let cancel = CancellationToken::new();
        let interrupt = tokio::spawn({
            let cancel = cancel.clone();
            async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("\nagencydesk: stopping after the recordings being fetched");
                    cancel.cancel();
                }
            }
        });
        let live = LiveLine::start();
        let result = session
            .agency
            .archive_recordings(org, since, live.sink(), cancel)
            .await;
        live.finish().await;
        interrupt.abort();
        Ok(result?)
    })
    .await?;
    write_stdout(&if as_json {
        json(&report)?
    } else {
        summary(&report)
    })?;
    if report.progress.failed > 0 {
        return Err(args::invalid_input(format!(
            "{} recording(s) could not be archived; run the command again to retry them",
            report.progress.failed
        )));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn summary(report: &ArchiveReport) -> String {
    let p = &report.progress;
    let mut out = format!(
        "Archived {} recording(s) ({}) into {}.\n{} already archived, {} call(s) without a recording, {} failed.\n",
        p.archived,
        megabytes(p.bytes),
        report.folder,
        p.already,
        p.without_recording,
        p.failed
    );
    for f in &report.failures {
        out.push_str(&format!("  {}: {}\n", f.call_id, f.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use agencydesk_core::recordings::{ArchiveFailure, ArchiveProgress};

    #[test]
    fn the_summary_counts_and_names_failures() {
        let report = ArchiveReport {
            progress: ArchiveProgress {
                total: 5,
                done: 5,
                archived: 2,
                already: 1,
                without_recording: 1,
                failed: 1,
                bytes: 2_500_000,
            },
            failures: vec![ArchiveFailure {
                call_id: "c1".into(),
                message: "Vapi is busy".into(),
            }],
            folder: "/data/archive".into(),
        };
        let text = summary(&report);
        assert!(
            text.starts_with("Archived 2 recording(s) (2.5 MB) into /data/archive."),
            "{text}"
        );
        assert!(text.contains("1 already archived, 1 call(s) without a recording, 1 failed."));
        assert!(text.contains("  c1: Vapi is busy\n"));
    }
}
