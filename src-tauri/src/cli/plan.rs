//! `agencydesk plan show|set`: a client's pricing plan without the window. `set` changes only
//! the fields it is given (an empty value or `none` clears one) and is checked by the same code
//! as the app's plan editor; a refused plan changes nothing and names each flag to fix.

use agencydesk_core::agency::ClientOrgView;
use agencydesk_core::billing::plan_edits::rounding_name;
use agencydesk_core::billing::{
    BillingError, MinuteRounding, PlanEdits, PlanIssue, PlanState, PricingPlan,
};
use agencydesk_core::error::CoreError;
use agencydesk_core::store::clients::OrgKind;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::args::{id, invalid_input, rounding};
use super::output::{json, set_plan_command, write_stdout};
use super::session::with_agency;
use crate::error::AppError;
use crate::state::Session;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Show a client's pricing plan.
    Show {
        /// The client org (see `agencydesk clients list`).
        #[arg(long, value_parser = id)]
        client: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Set or change a client's pricing plan. Only the fields given change; an empty value or
    /// `none` clears one. A client without a plan starts from nothing billed, in USD, due in 30
    /// days.
    Set(Box<SetArgs>),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = id)]
    pub client: String,
    /// Vapi's cost of the client's calls plus this percentage (0 passes cost through).
    #[arg(long, value_name = "P")]
    pub markup_percent: Option<String>,
    /// Every billed minute at this rate, in the plan currency.
    #[arg(long, value_name = "RATE")]
    pub per_minute: Option<String>,
    /// How each call's duration is rounded up: exact, 6s, 30s or 60s.
    #[arg(long, value_parser = rounding)]
    pub rounding: Option<MinuteRounding>,
    /// A flat fee per billed month.
    #[arg(long, value_name = "AMOUNT")]
    pub monthly_fee: Option<String>,
    /// Minutes included each month (with --overage-rate for the rest).
    #[arg(long, value_name = "N")]
    pub included_minutes: Option<String>,
    /// The price of each minute beyond the included ones (0 if they are free).
    #[arg(long, value_name = "RATE")]
    pub overage_rate: Option<String>,
    /// ISO 4217 code of the invoice currency, e.g. USD or EUR.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Units of the plan currency per USD (needed unless the currency is USD).
    #[arg(long, value_name = "RATE")]
    pub usd_exchange_rate: Option<String>,
    /// Tax rate in percent applied to every line (with --tax-code).
    #[arg(long, value_name = "PCT")]
    pub tax_rate: Option<String>,
    /// The tax code your accounting software uses (with --tax-rate).
    #[arg(long, value_name = "CODE")]
    pub tax_code: Option<String>,
    /// Days from the invoice date to the due date.
    #[arg(long, value_name = "DAYS")]
    pub payment_terms_days: Option<String>,
}

impl SetArgs {
    fn edits(&self) -> PlanEdits {
        let text = |v: &Option<String>| {
            v.as_deref().map(|t| match t.trim() {
                "none" => String::new(),
                other => other.to_owned(),
            })
        };
        PlanEdits {
            currency: text(&self.currency),
            usd_exchange_rate: text(&self.usd_exchange_rate),
            markup_percent: text(&self.markup_percent),
            per_minute_rate: text(&self.per_minute),
            minute_rounding: self.rounding,
            monthly_fee: text(&self.monthly_fee),
            included_minutes: text(&self.included_minutes),
            overage_rate: text(&self.overage_rate),
            tax_code: text(&self.tax_code),
            tax_rate_percent: text(&self.tax_rate),
            payment_terms_days: text(&self.payment_terms_days),
        }
    }
}

/// What `plan show --json` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ShownPlan<'a> {
    client_id: &'a str,
    client_name: &'a str,
    saved: bool,
    /// `null` when the client has no plan yet.
    plan: Option<PricingPlan>,
}

pub async fn run(demo: bool, command: PlanCommand) -> Result<(), AppError> {
    with_agency(demo, |session| async move {
        match command {
            PlanCommand::Show { client, json } => show(&session, &client, json).await,
            PlanCommand::Set(args) => set(&session, &args).await,
        }
    })
    .await
}

async fn show(session: &Session, client_id: &str, json_wanted: bool) -> Result<(), AppError> {
    let client = client(session, client_id)?;
    let state = session.agency.pricing_plan(&client.id).await?;
    let plan = saved_plan(&state)?;
    write_stdout(&if json_wanted {
        json(&ShownPlan {
            client_id: &client.id,
            client_name: &client.name,
            saved: state.saved,
            plan,
        })?
    } else {
        match plan {
            Some(plan) => plan_text(&client, &plan),
            None => format!(
                "{} ({}) has no pricing plan yet. Set one with, for example:\n  {}\n",
                client.name,
                client.id,
                set_plan_command(&client.id)
            ),
        }
    })
}

async fn set(session: &Session, args: &SetArgs) -> Result<(), AppError> {
    let client = client(session, &args.client)?;
    let edits = args.edits();
    if edits.is_empty() {
        return Err(invalid_input(
            "Nothing to change: give at least one field, such as --markup-percent 25 (see \
             agencydesk plan set --help).",
        ));
    }
    let state = match session.agency.edit_pricing_plan(&client.id, edits).await {
        Ok(state) => state,
        Err(CoreError::Billing(BillingError::InvalidPlan(issues))) => {
            return Err(invalid_input(format!(
                "The plan of {} was not saved: {}.",
                client.name,
                flag_issues(&issues)
            )))
        }
        Err(e) => return Err(e.into()),
    };
    match saved_plan(&state)? {
        Some(plan) => write_stdout(&format!("Saved.\n{}", plan_text(&client, &plan))),
        None => Ok(()),
    }
}

fn client(session: &Session, client_id: &str) -> Result<ClientOrgView, AppError> {
    let client = session.agency.get_client(client_id)?;
    if client.kind == OrgKind::Agency {
        return Err(invalid_input(format!(
            "{} is your agency's own org, not a client: it has no pricing plan.",
            client.name
        )));
    }
    Ok(client)
}

/// The saved plan, read back through the editor's form (the one way core hands it out).
fn saved_plan(state: &PlanState) -> Result<Option<PricingPlan>, AppError> {
    if !state.saved {
        return Ok(None);
    }
    state
        .form
        .parse()
        .map(Some)
        .map_err(|issues| CoreError::from(BillingError::InvalidPlan(issues)).into())
}

fn plan_text(client: &ClientOrgView, plan: &PricingPlan) -> String {
    let none = || "-".to_owned();
    let rows = [
        ("Currency", plan.currency.clone()),
        (
            "USD exchange rate",
            plan.usd_exchange_rate.map_or_else(none, |r| r.to_string()),
        ),
        (
            "Markup",
            plan.markup_percent.map_or_else(none, |m| format!("{m} %")),
        ),
        (
            "Per-minute rate",
            plan.per_minute_rate.map_or_else(none, |r| r.to_string()),
        ),
        ("Rounding", rounding_name(plan.minute_rounding).to_owned()),
        (
            "Monthly fee",
            plan.monthly_fee.map_or_else(none, |f| f.to_string()),
        ),
        (
            "Included minutes",
            plan.included_minutes.as_ref().map_or_else(none, |i| {
                format!("{}, then {} a minute", i.minutes, i.overage_rate)
            }),
        ),
        (
            "Tax",
            plan.tax
                .as_ref()
                .map_or_else(none, |t| format!("{} at {} %", t.code, t.rate_percent)),
        ),
        ("Payment terms", format!("{} days", plan.payment_terms_days)),
    ];
    let mut out = format!("Pricing plan of {} ({})\n", client.name, client.id);
    for (label, value) in rows {
        out.push_str(&format!("  {label:<18}{value}\n"));
    }
    out
}

/// The editor's issues under the flags that set each field.
fn flag_issues(issues: &[PlanIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", flag_of(&i.field), i.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn flag_of(field: &str) -> &str {
    match field {
        "currency" => "--currency",
        "usdExchangeRate" => "--usd-exchange-rate",
        "markupPercent" => "--markup-percent",
        "perMinuteRate" => "--per-minute",
        "minuteRounding" => "--rounding",
        "monthlyFee" => "--monthly-fee",
        "includedMinutes" => "--included-minutes",
        "overageRate" => "--overage-rate",
        "taxCode" => "--tax-code",
        "taxRatePercent" => "--tax-rate",
        "paymentTermsDays" => "--payment-terms-days",
        _ => "plan",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_field_has_its_flag() {
        let form = agencydesk_core::billing::plan_edits::blank_form();
        let fields = serde_json::to_value(&form).unwrap();
        for field in fields.as_object().unwrap().keys() {
            assert_ne!(flag_of(field), "plan", "{field} has no flag");
        }
    }

    #[test]
    fn none_and_empty_clear_a_field_and_absent_flags_change_nothing() {
        let args = SetArgs {
            client: "org".into(),
            markup_percent: Some("none".into()),
            per_minute: Some(" 0.15 ".into()),
            rounding: None,
            monthly_fee: Some(String::new()),
            included_minutes: None,
            overage_rate: None,
            currency: None,
            usd_exchange_rate: None,
            tax_rate: None,
            tax_code: None,
            payment_terms_days: None,
        };
        let edits = args.edits();
        assert_eq!(edits.markup_percent.as_deref(), Some(""));
        assert_eq!(edits.per_minute_rate.as_deref(), Some("0.15"));
        assert_eq!(edits.monthly_fee.as_deref(), Some(""));
        assert_eq!(edits.currency, None);
    }
}
