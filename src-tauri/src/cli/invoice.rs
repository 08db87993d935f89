//! `agencydesk invoice export`: a period's invoices as CSV files for the accountant, or as PDF
//! files (one per invoice, with the agency's letterhead) for the clients.
//!
//! Which files, and when a number is issued, is decided in core (`billing::batch`, `billing::issue`):
//! QuickBooks and Xero get one combined file, the generic format one file per invoice;
//! an invoice already issued for the client and period is re-used, never renumbered, unless
//! `--reissue` asks for a new number. The paths written go to standard output, one per line;
//! what was issued, re-used or skipped goes to standard error.

use std::path::PathBuf;

use agencydesk_core::billing::{BatchRequest, BillingError, ExportFormat, Period};
use agencydesk_core::error::CoreError;
use agencydesk_core::office::BatchOutcome;
use clap::{Args, Subcommand};

use super::args::{export_format, invalid_input, PeriodArgs};
use super::output::{set_plan_command, write_stdout};
use super::session::{prepare_cache, with_agency};
use crate::error::AppError;
use crate::state::Session;

#[derive(Debug, Subcommand)]
pub enum InvoiceCommand {
    /// Issue the period's invoices (or re-use those already issued) and write them as CSV or PDF.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Only this client org (see `agencydesk clients list`); every client with a plan otherwise.
    #[arg(long)]
    pub client: Option<String>,
    /// generic (one CSV per invoice), qbo (QuickBooks Online import), xero (Xero import) or pdf
    /// (one PDF per invoice for the client, with the details of `agency profile`).
    #[arg(long, value_parser = export_format)]
    pub format: ExportFormat,
    /// The folder the files are written to (existing files of the same name are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Void the invoices already issued for this period and issue them again with new numbers.
    #[arg(long)]
    pub reissue: bool,
    /// Issue invoices even while some calls of the period are unsettled (cost may still change).
    #[arg(long)]
    pub allow_unsettled: bool,
    /// Generic and pdf formats only: write previews without numbers; nothing is issued.
    #[arg(long)]
    pub draft: bool,
    /// Sync the calls from Vapi first (always done with --demo, whose cache starts empty).
    #[arg(long)]
    pub sync: bool,
}

pub async fn run(demo: bool, command: InvoiceCommand) -> Result<(), AppError> {
    match command {
        InvoiceCommand::Export(args) => {
            with_agency(demo, |session| async move { export(&session, &args).await }).await
        }
    }
}

async fn export(session: &Session, args: &ExportArgs) -> Result<(), AppError> {
    let period = args.period.period()?;
    prepare_cache(session, args.client.as_deref(), args.sync).await?;
    let request = BatchRequest {
        period,
        client_id: args.client.clone(),
        format: args.format,
        reissue: args.reissue,
        allow_unsettled: args.allow_unsettled,
        draft: args.draft,
    };
    let outcome = match session
        .agency
        .export_invoices(request, args.out.clone())
        .await
    {
        Ok(outcome) => outcome,
        Err(CoreError::Billing(BillingError::NoPlan { client_id })) => {
            return Err(invalid_input(format!(
                "Nothing to invoice: client {client_id} has no pricing plan yet. Set one with\n  \
                 {}\nthen run the same command again.",
                set_plan_command(&client_id)
            )))
        }
        Err(e) => return Err(e.into()),
    };
    report(&period, &outcome);
    if outcome.invoices.is_empty() && outcome.failed.is_empty() {
        return Err(invalid_input(match outcome.skipped.first() {
            Some(first) => format!(
                "Nothing to invoice: no client has a pricing plan. Set one for each client (as \
                 listed above), for example\n  {}\nthen run the same command again.",
                set_plan_command(&first.client_id)
            ),
            None => "Nothing to invoice: no client org is linked yet. Link one with: \
                     agencydesk clients link"
                .to_owned(),
        }));
    }
    let paths: String = outcome
        .files
        .iter()
        .map(|p| format!("{}\n", p.display()))
        .collect();
    write_stdout(&paths)?;
    match outcome.failed.len() {
        0 => Ok(()),
        n => Err(CoreError::InvalidInput(format!(
            "{n} client(s) could not be invoiced (see above). Fix that and run the same command \
             again: invoices already issued are re-used, not renumbered."
        ))
        .into()),
    }
}

/// What happened to each client, on standard error.
fn report(period: &Period, outcome: &BatchOutcome) {
    for b in &outcome.invoices {
        let how = match (&b.invoice.number, b.reused, &b.voided) {
            (None, _, _) => "draft, not issued".to_owned(),
            (Some(_), true, _) => "already issued: re-used as it was issued".to_owned(),
            (Some(_), false, Some(old)) => format!("re-issued, {old} voided"),
            (Some(_), false, None) => "issued".to_owned(),
        };
        eprintln!(
            "{}  {}  {} {}  ({how})",
            b.invoice.number.as_deref().unwrap_or("(draft)"),
            b.client_name,
            b.invoice.currency,
            b.invoice.total,
        );
        if b.calls_in_period == 0 {
            eprintln!(
                "  note: {} has no cached calls in {}; sync it first (--sync) if it had any.",
                b.client_name,
                period.label()
            );
        }
    }
    for skipped in &outcome.skipped {
        eprintln!(
            "skipped {}: {} (set one with: {})",
            skipped.client_name,
            skipped.reason,
            set_plan_command(&skipped.client_id)
        );
    }
    for (name, error) in &outcome.failed {
        eprintln!("not invoiced {name}: {error}");
    }
}
