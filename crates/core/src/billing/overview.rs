//! The agency overview: every client's Vapi cost, billed amount and margin for one period (this
//! month by default), totals in USD, a chart across clients, and alerts that need the owner.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use super::audit::{audit_calls, AuditOptions};
use super::compute::{default_issue_date, preview_invoice};
use super::error::BillingError;
use super::invoice::InvoiceRequest;
use super::last_sync::last_sync_at;
use super::money::{round_cents, usd_from_micros};
use super::period::Period;
use super::plan::MinuteRounding;
use super::plan_store::load_plan;
use super::spend_alerts::{self, ThresholdKind};
use super::usage::{usage_by, GroupBy};
use crate::store::clients::{self, OrgKind, OrgStatus};

/// One client's line of the overview. Amounts are decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OverviewRow {
    pub client_id: String,
    pub client_name: String,
    pub status: OrgStatus,
    pub last_sync_at: Option<String>,
    #[ts(type = "number")]
    pub calls: i64,
    /// What Vapi charged the agency for this client's calls, USD.
    pub vapi_cost_usd: String,
    /// `null` without a pricing plan (or when the stored plan cannot be read: see `planProblem`).
    pub currency: Option<String>,
    /// Billed before tax, in the plan's currency.
    pub billed: Option<String>,
    /// Billed minus Vapi's cost, in the plan's currency.
    pub margin: Option<String>,
    pub margin_percent: Option<String>,
    /// The same in USD (at the plan's own rate), for totals and comparisons across currencies.
    pub billed_usd: Option<String>,
    pub margin_usd: Option<String>,
    #[ts(type = "number")]
    pub unsettled_calls: u64,
    pub plan_problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum AlertLevel {
    Danger,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OverviewAlert {
    pub level: AlertLevel,
    pub client_id: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OverviewTotals {
    #[ts(type = "number")]
    pub calls: i64,
    pub vapi_cost_usd: String,
    /// Clients with a plan only.
    pub billed_usd: String,
    pub margin_usd: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencyOverview {
    pub period: Period,
    pub rows: Vec<OverviewRow>,
    pub totals: OverviewTotals,
    pub alerts: Vec<OverviewAlert>,
    /// The chart across clients (per day), as an image URL (`data:image/svg+xml;base64,...`)
    /// for an `<img>`.
    pub chart_image: String,
}

/// The overview without its chart (drawn by the charts module, which reads billing, not the
/// other way round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverviewFigures {
    pub period: Period,
    pub rows: Vec<OverviewRow>,
    pub totals: OverviewTotals,
    /// Most urgent first.
    pub alerts: Vec<OverviewAlert>,
}

impl OverviewFigures {
    pub fn with_chart(self, chart_image: String) -> AgencyOverview {
        AgencyOverview {
            period: self.period,
            rows: self.rows,
            totals: self.totals,
            alerts: self.alerts,
            chart_image,
        }
    }
}

/// Every client's row of `period` (validated), the totals and the alerts; a client whose Vapi
/// cost passes its monthly spend threshold in USD (`spend_thresholds`) raises an alert.
pub fn overview_figures(
    conn: &Connection,
    period: Period,
    now: DateTime<Utc>,
) -> Result<OverviewFigures, BillingError> {
    let period = period.validated()?;
    let thresholds: HashMap<String, Decimal> = spend_alerts::list(conn)?
        .into_iter()
        .filter(|t| t.kind == ThresholdKind::Amount)
        .filter_map(|t| Some((t.org_id?, t.value)))
        .collect();
    let mut rows = Vec::new();
    let mut alerts = Vec::new();
    for org in clients::list(conn)?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Client)
    {
        let row = client_row(conn, &org.id, &org.name, org.status, &period, now)?;
        alerts.extend(row_alerts(&row, thresholds.get(&org.id).copied()));
        rows.push(row);
    }
    let sum = |f: fn(&OverviewRow) -> Option<&String>| -> Decimal {
        rows.iter()
            .filter_map(f)
            .filter_map(|t| t.parse::<Decimal>().ok())
            .sum()
    };
    let totals = OverviewTotals {
        calls: rows.iter().map(|r| r.calls).sum(),
        vapi_cost_usd: sum(|r| Some(&r.vapi_cost_usd)).to_string(),
        billed_usd: sum(|r| r.billed_usd.as_ref()).to_string(),
        margin_usd: sum(|r| r.margin_usd.as_ref()).to_string(),
    };
    alerts.sort_by_key(|a| a.level as u8);
    Ok(OverviewFigures {
        period,
        rows,
        totals,
        alerts,
    })
}

fn client_row(
    conn: &Connection,
    org_id: &str,
    name: &str,
    status: OrgStatus,
    period: &Period,
    now: DateTime<Utc>,
) -> Result<OverviewRow, BillingError> {
    let usage = usage_by(
        conn,
        org_id,
        period,
        GroupBy::Month,
        MinuteRounding::ExactSeconds,
    )?;
    let cost_usd = usd_from_micros(usage.iter().map(|g| g.cost_micros).sum());
    let audit_options = AuditOptions::at(now);
    let mut row = OverviewRow {
        client_id: org_id.to_owned(),
        client_name: name.to_owned(),
        status,
        last_sync_at: last_sync_at(conn, org_id)?,
        calls: usage.iter().map(|g| g.calls).sum(),
        vapi_cost_usd: round_cents(cost_usd).to_string(),
        currency: None,
        billed: None,
        margin: None,
        margin_percent: None,
        billed_usd: None,
        margin_usd: None,
        unsettled_calls: 0,
        plan_problem: None,
    };
    let plan = match load_plan(conn, org_id) {
        Ok(plan) => plan,
        Err(e @ BillingError::StoredPlanUnreadable { .. }) => {
            row.plan_problem = Some(e.to_string());
            None
        }
        Err(e) => return Err(e),
    };
    let Some(plan) = plan else {
        row.unsettled_calls = audit_calls(conn, org_id, period, &audit_options)?
            .unsettled
            .count;
        return Ok(row);
    };
    let request = InvoiceRequest::new(
        org_id,
        *period,
        default_issue_date(period.to, now.date_naive()),
    );
    let preview = preview_invoice(conn, &request, &audit_options)?;
    let billed = preview.invoice.subtotal;
    let billed_usd = round_cents(billed / plan.fx());
    row.currency = Some(plan.currency.clone());
    row.billed = Some(billed.to_string());
    row.margin = Some(preview.owner.margin.to_string());
    row.margin_percent = preview.owner.margin_percent.map(|p| p.to_string());
    row.billed_usd = Some(billed_usd.to_string());
    row.margin_usd = Some((billed_usd - round_cents(cost_usd)).to_string());
    row.unsettled_calls = preview.audit.unsettled.count;
    Ok(row)
}

fn row_alerts(row: &OverviewRow, spend_alert_usd: Option<Decimal>) -> Vec<OverviewAlert> {
    let mut alerts = Vec::new();
    let mut push = |level, message: String| {
        alerts.push(OverviewAlert {
            level,
            client_id: Some(row.client_id.clone()),
            message,
        });
    };
    let name = &row.client_name;
    let cost: Decimal = row.vapi_cost_usd.parse().unwrap_or_default();
    if let Some(limit) = spend_alert_usd.filter(|l| cost > *l) {
        push(
            AlertLevel::Danger,
            format!("{name} cost ${cost} in Vapi usage, past your alert at ${limit}."),
        );
    }
    let margin: Option<Decimal> = row.margin_usd.as_ref().and_then(|m| m.parse().ok());
    if let Some(m) = margin.filter(|m| m.is_sign_negative() && !m.is_zero()) {
        push(
            AlertLevel::Danger,
            format!("{name} costs more than it is billed: the margin is ${m}. Review its plan."),
        );
    }
    if let Some(problem) = &row.plan_problem {
        push(AlertLevel::Warning, format!("{name}: {problem}"));
    } else if row.currency.is_none() {
        push(
            AlertLevel::Info,
            format!("{name} has no pricing plan yet: open it and set one in the Billing tab."),
        );
    }
    if row.last_sync_at.is_none() && row.status != OrgStatus::PendingKey {
        push(
            AlertLevel::Warning,
            format!("{name} has never been synced: its cost here is not known yet."),
        );
    }
    if row.status == OrgStatus::KeyRejected {
        push(
            AlertLevel::Warning,
            format!("Vapi refused {name}'s key: its calls cannot be synced until it is connected again."),
        );
    }
    if row.status == OrgStatus::KeyMissing {
        push(
            AlertLevel::Warning,
            format!(
                "{name}'s key is missing from the keychain: link this org again to sync its calls."
            ),
        );
    }
    alerts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> OverviewRow {
        OverviewRow {
            client_id: "org-1".into(),
            client_name: "Acme".into(),
            status: OrgStatus::Linked,
            last_sync_at: Some("2026-11-01T00:00:00.000Z".into()),
            calls: 10,
            vapi_cost_usd: "120.50".into(),
            currency: Some("USD".into()),
            billed: Some("100.00".into()),
            margin: Some("-20.50".into()),
            margin_percent: None,
            billed_usd: Some("100.00".into()),
            margin_usd: Some("-20.50".into()),
            unsettled_calls: 0,
            plan_problem: None,
        }
    }

    #[test]
    fn spend_past_the_threshold_and_negative_margins_are_flagged() {
        let alerts = row_alerts(&row(), Some(Decimal::new(100, 0)));
        let messages: Vec<&str> = alerts.iter().map(|a| a.message.as_str()).collect();
        assert_eq!(alerts.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("past your alert at $100"),
            "{messages:?}"
        );
        assert!(messages[1].contains("margin is $-20.50"), "{messages:?}");
        assert!(row_alerts(&row(), Some(Decimal::new(200, 0))).len() == 1);
    }

    #[test]
    fn missing_plans_and_syncs_say_what_to_do() {
        let bare = OverviewRow {
            currency: None,
            margin_usd: None,
            last_sync_at: None,
            ..row()
        };
        let alerts = row_alerts(&bare, None);
        assert_eq!(alerts.len(), 2);
        assert!(alerts[0].message.contains("Billing tab"));
        assert!(alerts[1].message.contains("never been synced"));
    }
}
