//! `agencydesk report`: the monthly client report as a PDF (calls, minutes, outcomes, busiest
//! days and hours, assistants, notable calls; never a cost or a margin), for one client or for
//! every client at once. The paths written go to standard output, one per line.

use std::path::PathBuf;

use agencydesk_core::billing::Period;
use clap::Args;

use super::args;
use super::output::write_stdout;
use super::session::{prepare_cache, with_agency};
use crate::error::AppError;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = args::id, required_unless_present = "all", conflicts_with = "all")]
    pub client: Option<String>,
    /// Every client org: one PDF each, written into the folder --out.
    #[arg(long)]
    pub all: bool,
    /// The calendar month, e.g. 2026-10.
    #[arg(long, value_parser = args::month)]
    pub month: Period,
    /// The PDF file to write (a folder with --all); an existing file is replaced.
    #[arg(long)]
    pub out: PathBuf,
    /// Sync the calls from Vapi first (always done with --demo, whose cache starts empty).
    #[arg(long)]
    pub sync: bool,
}

pub async fn run(demo: bool, args: ReportArgs) -> Result<(), AppError> {
    with_agency(demo, |session| async move {
        prepare_cache(&session, args.client.as_deref(), args.sync).await?;
        let files = match &args.client {
            Some(id) => vec![
                session
                    .agency
                    .write_client_report(id, args.month, args.out.clone())
                    .await?,
            ],
            None => {
                session
                    .agency
                    .write_client_reports(args.month, args.out.clone())
                    .await?
            }
        };
        let paths: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
        write_stdout(&paths)
    })
    .await
}
