//! The headless CLI: the same operations as the window, for scripts and servers.
//!
//! Private keys are never command-line arguments (they would land in shell history and `ps`):
//! `clients link` and `agency link` read the key from standard input when it is piped, or from a
//! no-echo prompt.
//!
//! Each subcommand is a call into core plus formatting. What they share lives in three modules
//! and nowhere else: [`session`] (open the agency, always close it), [`output`] (text, JSON,
//! tables) and [`args`] (argument parsers and checks).

mod about;
mod agency;
mod alerts;
mod args;
mod backup;
mod calls;
mod chart;
mod clients;
mod export;
mod invoice;
mod jwt;
pub mod keys;
mod output;
mod plan;
mod reconcile;
mod recordings;
mod report;
mod scan;
mod session;
mod snippet;
mod sync;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// agencydesk: manage the Vapi voice agents you run for your clients.
#[derive(Debug, Parser)]
#[command(name = "agencydesk", version, about)]
pub struct Cli {
    /// Use the demo agency (a local simulator with made-up clients) instead of your real data.
    #[arg(long, global = true)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Your agency's own Vapi org, used to create new client orgs.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Client orgs linked to this agency.
    #[command(subcommand)]
    Clients(ClientsCommand),
    /// Print the code that puts a client's assistant on their website.
    Snippet(snippet::SnippetArgs),
    /// Short-lived public JWTs, for trying a website before deploying.
    #[command(subcommand)]
    Jwt(jwt::JwtCommand),
    /// Invoices as CSV for QuickBooks Online, Xero or any spreadsheet, or as PDF for the client.
    #[command(subcommand)]
    Invoice(invoice::InvoiceCommand),
    /// The QuickBooks Online and Xero files' options: date formats, Xero account code and tax
    /// types, due days.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// A client's pricing plan: show it, or set it field by field.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// The monthly report for a client as a PDF (calls, outcomes, busiest times; no cost).
    Report(report::ReportArgs),
    /// Draw a cost, minutes or margin chart as a PNG or SVG file.
    Chart(chart::ChartArgs),
    /// Public keys: list, create, rotate, disable, enable, delete, and the key audit.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Copy the client orgs' calls from Vapi into the local cache (new and updated calls only,
    /// after the first time).
    Sync(sync::SyncArgs),
    /// Compare Vapi's daily call count and cost with the cache's for a month: exits 3 when they
    /// differ, listing the days.
    Reconcile(reconcile::ReconcileArgs),
    /// Look for Vapi keys in a client's site (a page and its same-site scripts): exits 3 on a
    /// critical or high finding. Keys are shown as fingerprints only.
    Scan(scan::ScanArgs),
    /// Monthly spend thresholds per client and for the agency; `alerts check` exits 4 when one
    /// is crossed.
    #[command(subcommand)]
    Alerts(alerts::AlertsCommand),
    /// What the local call cache holds.
    #[command(subcommand)]
    Calls(calls::CallsCommand),
    /// Call recordings kept on this computer (Vapi deletes calls after its retention period).
    #[command(subcommand)]
    Recordings(recordings::RecordingsCommand),
    /// Backups of the database: create, list, restore.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// The call cache: rebuild it from Vapi, keeping billing.
    #[command(subcommand)]
    Cache(backup::CacheCommand),
    /// This build's version, where its data and keys live, and the licenses of what it bundles.
    About {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A report for a support request: versions, counts, last syncs and errors. Never a key,
    /// a transcript or a client's name.
    Diagnostics {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    /// List linked client orgs with their assistants and key counts.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Link a client org with its private API key, read from standard input or a hidden prompt.
    Link(args::VapiAddressArgs),
    /// A client org's monthly billing limit at Vapi (Vapi stops its calls beyond it), with the
    /// subscription facts Vapi reports: concurrency limit, minutes used, credits.
    Limit {
        /// The client org (see `agencydesk clients list`).
        #[arg(long, value_parser = args::id)]
        org: String,
        /// Set the limit to this many USD a month (0 to 1000, whole cents).
        #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
        set: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Create a new client org in Vapi through your agency's own org (link it first with
    /// `agencydesk agency link`), at the address your agency's org was linked with. Then paste
    /// the new org's private key with `clients link`.
    Create {
        /// The client org's name (1 to 40 characters).
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgencyCommand {
    /// Link your agency's own Vapi org with its private API key, read from standard input or a
    /// hidden prompt. agencydesk uses it to create client orgs.
    Link(args::VapiAddressArgs),
    /// What your invoices print about your agency: name, address, logo, payment details.
    #[command(subcommand)]
    Profile(agency::ProfileCommand),
}

/// Runs one subcommand to completion and turns the outcome into an exit status:
/// 0 success, 1 the operation failed (the message says why), 2 bad usage (clap's own),
/// 3 `keys audit` found problems, `reconcile` found days that differ or `scan` found a critical
/// or high finding, 4 `alerts check`
/// found a spend threshold crossed.
pub fn run(command: Command, demo: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("agencydesk: could not start its async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    // `sync` reports each org's outcome itself and picks its own exit status.
    let command = match command {
        Command::Sync(args) => return runtime.block_on(sync::run(demo, args)),
        other => other,
    };
    let outcome = runtime.block_on(async move {
        match command {
            Command::Clients(ClientsCommand::List { json }) => clients::list(demo, json).await,
            Command::Clients(ClientsCommand::Link(address)) => clients::link(demo, &address).await,
            Command::Clients(ClientsCommand::Create { name }) => clients::create(demo, &name).await,
            Command::Clients(ClientsCommand::Limit { org, set, json }) => {
                clients::limit(demo, &org, set.as_deref(), json).await
            }
            Command::Agency(AgencyCommand::Link(address)) => agency::link(demo, &address).await,
            Command::Agency(AgencyCommand::Profile(command)) => {
                agency::profile(demo, command).await
            }
            Command::Snippet(args) => snippet::run(demo, args).await,
            Command::Jwt(command) => jwt::run(demo, command).await,
            Command::Invoice(command) => invoice::run(demo, command).await,
            Command::Export(command) => export::run(demo, command).await,
            Command::Plan(command) => plan::run(demo, command).await,
            Command::Chart(args) => chart::run(demo, args).await,
            Command::Report(args) => report::run(demo, args).await,
            Command::Keys(command) => keys::run(demo, command).await,
            Command::Calls(command) => calls::run(demo, command).await,
            Command::Recordings(command) => recordings::run(demo, command).await,
            Command::Reconcile(args) => reconcile::run(demo, args).await,
            Command::Scan(args) => scan::run(demo, args).await,
            Command::Alerts(command) => alerts::run(demo, command).await,
            Command::Backup(command) => backup::run(demo, command).await,
            Command::Cache(command) => backup::cache(demo, command).await,
            Command::About { json } => about::show(demo, json).await,
            Command::Diagnostics { json } => about::diagnostics(demo, json).await,
            Command::Sync(_) => Ok(()), // handled above
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("agencydesk: {err}");
            ExitCode::from(err.exit_status())
        }
    }
}
