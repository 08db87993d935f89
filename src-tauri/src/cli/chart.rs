//! `agencydesk chart`: one client's (or every client's) chart for a period, as a PNG or SVG file.

use std::path::PathBuf;

use agencydesk_core::charts::{Bucket, ChartKind, ChartRequest, ChartScope, DEFAULT_SIZE};
use agencydesk_core::error::CoreError;
use clap::{Args, ValueEnum};

use super::args::PeriodArgs;
use super::output::write_stdout;
use super::session::{prepare_cache, with_agency};
use crate::error::AppError;
use crate::state::Session;

/// What the chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Vapi's cost per day (or month).
    CostPerDay,
    /// Vapi's cost split by component (transport, speech-to-text, LLM, text-to-speech, Vapi).
    Components,
    /// Call minutes and number of calls.
    Minutes,
    /// Billed amount, Vapi cost and the margin between them.
    Margin,
}

impl From<KindArg> for ChartKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::CostPerDay => ChartKind::Cost,
            KindArg::Components => ChartKind::CostByComponent,
            KindArg::Minutes => ChartKind::MinutesAndCalls,
            KindArg::Margin => ChartKind::Margin,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BucketArg {
    Day,
    Month,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(
        long,
        required_unless_present = "all_clients",
        conflicts_with = "all_clients"
    )]
    pub client: Option<String>,
    /// Every client org together instead of one.
    #[arg(long)]
    pub all_clients: bool,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, value_enum, default_value = "cost-per-day")]
    pub kind: KindArg,
    /// One bar per day or per month.
    #[arg(long, value_enum, default_value = "day")]
    pub per: BucketArg,
    /// The file to write: PNG, or SVG when the name ends in .svg.
    #[arg(long)]
    pub out: PathBuf,
    /// Width in pixels.
    #[arg(long, default_value_t = DEFAULT_SIZE.0)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = DEFAULT_SIZE.1)]
    pub height: u32,
    /// Sync the calls from Vapi first (always done with --demo, whose cache starts empty).
    #[arg(long)]
    pub sync: bool,
}

pub async fn run(demo: bool, args: ChartArgs) -> Result<(), AppError> {
    with_agency(demo, |session| async move { draw(&session, &args).await }).await
}

async fn draw(session: &Session, args: &ChartArgs) -> Result<(), AppError> {
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("png" | "svg")) {
        return Err(CoreError::InvalidInput("--out must name a .png or .svg file.".into()).into());
    }
    let period = args.period.period()?;
    prepare_cache(session, args.client.as_deref(), args.sync).await?;
    let request = ChartRequest {
        scope: match &args.client {
            Some(id) => ChartScope::Client(id.clone()),
            None => ChartScope::AllClients,
        },
        period,
        bucket: match args.per {
            BucketArg::Day => Bucket::Day,
            BucketArg::Month => Bucket::Month,
        },
        kind: args.kind.into(),
    };
    let data = session.agency.chart_data(request).await?;
    if data.is_empty() {
        eprintln!(
            "{} has no cached calls in {}: the chart says so. Sync first (--sync) if it had any.",
            data.scope_label,
            period.label()
        );
    }
    session
        .agency
        .write_chart(data, (args.width, args.height), args.out.clone())
        .await?;
    write_stdout(&format!("{}\n", args.out.display()))
}
