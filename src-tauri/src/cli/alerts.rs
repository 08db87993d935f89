//! `agencydesk alerts set|clear|list|check`: monthly spend thresholds per client (USD, or a
//! share of its billing limit at Vapi) and for the whole agency, and a check of this month's
//! spend against them for cron: exit 4 when a threshold is crossed.

use agencydesk_core::billing::{AlertCheck, Period, SpendThreshold, ThresholdKind};
use chrono::Utc;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use super::args::{id, month};
use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Set a monthly threshold of a client (--org) or of the whole agency (--agency).
    Set(SetArgs),
    /// Remove a threshold.
    Clear(ClearArgs),
    /// The thresholds set.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Compare this month's spend (from the call cache: run `agencydesk sync` first) with the
    /// thresholds; exits 4 when one is crossed.
    Check {
        /// Another month than the current one, e.g. 2026-10.
        #[arg(long, value_parser = month)]
        month: Option<Period>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("whose").required(true).args(["org", "agency"])))]
#[command(group(ArgGroup::new("what").required(true).args(["amount", "limit_percent"])))]
pub struct SetArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = id)]
    pub org: Option<String>,
    /// All client orgs together.
    #[arg(long)]
    pub agency: bool,
    /// Alert when the month's cost reaches this many USD.
    #[arg(long, value_name = "USD")]
    pub amount: Option<String>,
    /// Alert when the month's cost reaches this percentage of the org's billing limit at Vapi.
    #[arg(long, value_name = "P")]
    pub limit_percent: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Amount,
    LimitPercent,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("whose").required(true).args(["org", "agency"])))]
pub struct ClearArgs {
    /// The client org.
    #[arg(long, value_parser = id)]
    pub org: Option<String>,
    /// The agency-wide threshold.
    #[arg(long)]
    pub agency: bool,
    /// Which threshold.
    #[arg(long, value_enum)]
    pub kind: KindArg,
}

fn kind_of(arg: KindArg) -> ThresholdKind {
    match arg {
        KindArg::Amount => ThresholdKind::Amount,
        KindArg::LimitPercent => ThresholdKind::LimitShare,
    }
}

pub async fn run(demo: bool, command: AlertsCommand) -> Result<(), AppError> {
    match command {
        AlertsCommand::Set(args) => {
            let (kind, value) = match (&args.amount, &args.limit_percent) {
                (Some(amount), _) => (ThresholdKind::Amount, amount.clone()),
                (None, Some(share)) => (ThresholdKind::LimitShare, share.clone()),
                // clap requires one of the two.
                (None, None) => return Ok(()),
            };
            let all = with_agency(demo, |session| async move {
                Ok(session
                    .agency
                    .set_spend_threshold(args.org.clone(), kind, &value)
                    .await?)
            })
            .await?;
            write_stdout(&thresholds_table(&all))
        }
        AlertsCommand::Clear(args) => {
            let kind = kind_of(args.kind);
            let removed = with_agency(demo, |session| async move {
                Ok(session
                    .agency
                    .clear_spend_threshold(args.org.clone(), kind)
                    .await?)
            })
            .await?;
            write_stdout(if removed {
                "Threshold removed.\n"
            } else {
                "There was no such threshold.\n"
            })
        }
        AlertsCommand::List { json: as_json } => {
            let all = with_agency(demo, |session| async move {
                Ok(session.agency.spend_thresholds().await?)
            })
            .await?;
            write_stdout(&if as_json {
                json(&all)?
            } else {
                thresholds_table(&all)
            })
        }
        AlertsCommand::Check {
            month,
            json: as_json,
        } => {
            let period = match month {
                Some(p) => p,
                None => Period::month_of(Utc::now().date_naive())
                    .map_err(agencydesk_core::error::CoreError::from)?,
            };
            let check = with_agency(demo, |session| async move {
                Ok(session.agency.check_spend_alerts(period).await?)
            })
            .await?;
            write_stdout(&if as_json {
                json(&check)?
            } else {
                check_text(&check)
            })?;
            for problem in &check.unchecked {
                eprintln!("not checked: {problem}");
            }
            match check.crossed.len() {
                0 => Ok(()),
                count => Err(AppError::ThresholdsCrossed { count }),
            }
        }
    }
}

fn whose(t: &SpendThreshold) -> String {
    match (&t.org_id, &t.org_name) {
        (Some(id), Some(name)) => format!("{name} ({id})"),
        (Some(id), None) => id.clone(),
        (None, _) => "the agency (all clients)".to_owned(),
    }
}

fn what(kind: ThresholdKind, value: &impl std::fmt::Display) -> String {
    match kind {
        ThresholdKind::Amount => format!("{value} USD a month"),
        ThresholdKind::LimitShare => format!("{value}% of the billing limit"),
    }
}

fn thresholds_table(all: &[SpendThreshold]) -> String {
    if all.is_empty() {
        return "No spend thresholds yet. Set one with: agencydesk alerts set --agency --amount 500\n"
            .to_owned();
    }
    table(
        ["FOR", "ALERT AT"],
        [Align::Left, Align::Left],
        all.iter().map(|t| [whose(t), what(t.kind, &t.value)]),
    )
}

fn check_text(check: &AlertCheck) -> String {
    if check.crossed.is_empty() {
        return format!("{}: no spend threshold crossed.\n", check.month);
    }
    let rows = check.crossed.iter().map(|c| {
        [
            whose(&c.threshold),
            what(c.threshold.kind, &c.threshold.value),
            format!("{} USD", c.at),
            format!("{} USD", c.spent),
            if c.first_time { "new" } else { "" }.to_owned(),
        ]
    });
    format!(
        "{}: {} threshold(s) crossed\n{}",
        check.month,
        check.crossed.len(),
        table(
            ["FOR", "THRESHOLD", "AT", "SPENT", ""],
            [
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Left
            ],
            rows,
        )
    )
}
