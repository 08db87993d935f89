//! The numbers behind a chart, aggregated by SQLite from the `calls_daily` rollup (GROUP BY day
//! or month of `createdAt`, UTC) and completed with empty buckets so every day or month of the
//! period has its place on the axis.
//!
//! Everything is in USD: Vapi's costs are, and billed amounts of plans in another currency are
//! converted back with the plan's own rate. Billed amounts per month are the invoice subtotal of
//! that month (fee included when the month is complete in the period); per day they are the
//! usage charges only (markup and per-minute), since monthly fees and overage belong to a month.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, Row};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::ChartError;
use crate::billing::money::round_cents;
use crate::billing::usage::{usage_by, GroupBy};
use crate::billing::{
    build_invoice, load_plan, BillTo, InvoiceRequest, LineGrouping, Period, PricingPlan,
};
use crate::store::clients;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ChartScope {
    /// One client org.
    Client(String),
    /// Every client org together (the agency's own org is not a client).
    AllClients,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum Bucket {
    Day,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ChartKind {
    /// Vapi cost per bucket.
    Cost,
    /// Vapi cost per bucket, stacked by component.
    CostByComponent,
    /// Call minutes (bars) and number of calls (line).
    MinutesAndCalls,
    /// Billed, Vapi cost, and the margin between them.
    Margin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ChartRequest {
    pub scope: ChartScope,
    pub period: Period,
    pub bucket: Bucket,
    pub kind: ChartKind,
}

/// Vapi's cost components, micro-USD.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Components {
    pub transport: i64,
    pub stt: i64,
    pub llm: i64,
    pub tts: i64,
    pub vapi: i64,
    pub chat: i64,
}

impl Components {
    /// Name and value of each component, in stacking order.
    pub fn named(&self) -> [(&'static str, i64); 6] {
        [
            ("transport", self.transport),
            ("stt", self.stt),
            ("llm", self.llm),
            ("tts", self.tts),
            ("vapi", self.vapi),
            ("chat", self.chat),
        ]
    }

    fn add(&mut self, o: &Self) {
        self.transport += o.transport;
        self.stt += o.stt;
        self.llm += o.llm;
        self.tts += o.tts;
        self.vapi += o.vapi;
        self.chat += o.chat;
    }
}

/// One day or month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketRow {
    /// First day of the bucket.
    pub start: NaiveDate,
    /// Axis label: `Oct 5` or `Oct 2026`.
    pub label: String,
    pub calls: i64,
    pub duration_millis: i64,
    pub cost_micros: i64,
    pub components: Components,
    /// Billed before tax, USD; only for [`ChartKind::Margin`].
    pub billed_usd: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartData {
    pub request: ChartRequest,
    /// The client's name, or `All clients`.
    pub scope_label: String,
    pub rows: Vec<BucketRow>,
    /// Caveats printed under the title.
    pub notes: Vec<String>,
}

impl ChartData {
    pub fn total_calls(&self) -> i64 {
        self.rows.iter().map(|r| r.calls).sum()
    }

    /// True when the period has no call at all: the chart says so instead of drawing zeros.
    pub fn is_empty(&self) -> bool {
        self.total_calls() == 0
    }
}

/// Aggregates the numbers for `request`.
pub fn chart_data(conn: &Connection, request: &ChartRequest) -> Result<ChartData, ChartError> {
    let period = request.period.validated()?;
    let (scope_label, org_ids) = match &request.scope {
        ChartScope::Client(id) => {
            let client = clients::get(conn, id)?.ok_or_else(|| {
                crate::billing::BillingError::ClientNotFound {
                    client_id: id.clone(),
                }
            })?;
            (client.name, vec![client.id])
        }
        ChartScope::AllClients => {
            let ids = clients::list(conn)?
                .into_iter()
                .filter(|c| c.kind == clients::OrgKind::Client)
                .map(|c| c.id)
                .collect();
            ("All clients".to_owned(), ids)
        }
    };
    let mut rows = empty_rows(&period, request.bucket);
    let mut notes = Vec::new();

    if request.kind == ChartKind::Margin {
        let mut without_plan = 0;
        for org_id in &org_ids {
            let Some(plan) = load_plan(conn, org_id)? else {
                without_plan += 1;
                continue;
            };
            add_totals(&mut rows, &totals(conn, org_id, &period, request.bucket)?);
            let billed = billed_usd(conn, org_id, &plan, &period, request.bucket)?;
            for row in &mut rows {
                let add = billed.get(&row.start).copied().unwrap_or_default();
                row.billed_usd = Some(row.billed_usd.unwrap_or_default() + add);
            }
        }
        if without_plan > 0 {
            notes.push(format!(
                "{without_plan} client(s) without a pricing plan left out (cost and billed)"
            ));
        }
        if request.bucket == Bucket::Day {
            notes.push(
                "Daily billed amounts are usage charges only (no monthly fee or overage)".into(),
            );
        }
    } else {
        for org_id in &org_ids {
            add_totals(&mut rows, &totals(conn, org_id, &period, request.bucket)?);
        }
    }
    Ok(ChartData {
        request: ChartRequest {
            period,
            ..request.clone()
        },
        scope_label,
        rows,
        notes,
    })
}

fn empty_rows(period: &Period, bucket: Bucket) -> Vec<BucketRow> {
    let starts: Vec<NaiveDate> = match bucket {
        Bucket::Day => period.each_day().collect(),
        Bucket::Month => period.each_month(),
    };
    starts
        .into_iter()
        .map(|start| BucketRow {
            start,
            label: match bucket {
                Bucket::Day => start.format("%b %-d").to_string(),
                Bucket::Month => start.format("%b %Y").to_string(),
            },
            calls: 0,
            duration_millis: 0,
            cost_micros: 0,
            components: Components::default(),
            billed_usd: None,
        })
        .collect()
}

/// Per-bucket totals of one org, keyed by the bucket's first day.
fn totals(
    conn: &Connection,
    org_id: &str,
    period: &Period,
    bucket: Bucket,
) -> Result<HashMap<NaiveDate, Totals>, ChartError> {
    let key_len = match bucket {
        Bucket::Day => 10,
        Bucket::Month => 7,
    };
    let sql = format!(
        "SELECT substr(day, 1, {key_len}) AS b, SUM(calls), SUM(duration_ms), SUM(cost_micros),
                SUM(transport_micros), SUM(stt_micros), SUM(llm_micros), SUM(tts_micros),
                SUM(vapi_micros), SUM(chat_micros)
         FROM calls_daily WHERE org_id = ?1 AND day >= ?2 AND day <= ?3
         GROUP BY b"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        (org_id, period.from.to_string(), period.to.to_string()),
        totals_row,
    )?;
    let mut out = HashMap::new();
    for row in rows {
        let (key, values) = row?;
        if let Some(start) = bucket_start(&key, bucket) {
            out.insert(start, values);
        }
    }
    Ok(out)
}

/// One org's figures for one bucket.
struct Totals {
    calls: i64,
    duration_millis: i64,
    cost_micros: i64,
    components: Components,
}

fn totals_row(row: &Row<'_>) -> rusqlite::Result<(String, Totals)> {
    Ok((
        row.get(0)?,
        Totals {
            calls: row.get(1)?,
            duration_millis: row.get(2)?,
            cost_micros: row.get(3)?,
            components: Components {
                transport: row.get(4)?,
                stt: row.get(5)?,
                llm: row.get(6)?,
                tts: row.get(7)?,
                vapi: row.get(8)?,
                chat: row.get(9)?,
            },
        },
    ))
}

fn add_totals(rows: &mut [BucketRow], totals: &HashMap<NaiveDate, Totals>) {
    for row in rows {
        if let Some(t) = totals.get(&row.start) {
            row.calls += t.calls;
            row.duration_millis += t.duration_millis;
            row.cost_micros += t.cost_micros;
            row.components.add(&t.components);
        }
    }
}

/// `YYYY-MM-DD` or `YYYY-MM` to the bucket's first day.
fn bucket_start(key: &str, bucket: Bucket) -> Option<NaiveDate> {
    match bucket {
        Bucket::Day => NaiveDate::parse_from_str(key, "%Y-%m-%d").ok(),
        Bucket::Month => NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").ok(),
    }
}

/// What the client is billed per bucket before tax, converted to USD.
fn billed_usd(
    conn: &Connection,
    org_id: &str,
    plan: &PricingPlan,
    period: &Period,
    bucket: Bucket,
) -> Result<HashMap<NaiveDate, Decimal>, ChartError> {
    let bill_to = BillTo {
        id: org_id.to_owned(),
        name: String::new(),
    };
    let rounding = plan.minute_rounding;
    let mut out = HashMap::new();
    match bucket {
        Bucket::Month => {
            for first in period.each_month() {
                let Ok(month) = Period::month_of(first) else {
                    continue;
                };
                let sub = Period::range(first.max(period.from), month.to.min(period.to))?;
                let groups = usage_by(conn, org_id, &sub, GroupBy::Assistant, rounding)?;
                let mut request = InvoiceRequest::new(org_id, sub, sub.to);
                request.grouping = LineGrouping::ByAssistant;
                request.billing_months = u32::from(sub == month);
                let (invoice, _, _) = build_invoice(plan, &bill_to, &request, &groups)?;
                out.insert(first, to_usd(invoice.subtotal, plan));
            }
        }
        Bucket::Day => {
            let usage_only = PricingPlan {
                monthly_fee: None,
                included_minutes: None,
                ..plan.clone()
            };
            if usage_only.markup_percent.is_none() && usage_only.per_minute_rate.is_none() {
                return Ok(out);
            }
            for day in usage_by(conn, org_id, period, GroupBy::Day, rounding)? {
                let Some(start) = day.key.as_deref().and_then(|k| bucket_start(k, bucket)) else {
                    continue;
                };
                let one_day = Period::range(start, start)?;
                let mut request = InvoiceRequest::new(org_id, one_day, start);
                request.billing_months = 0;
                let group = crate::billing::usage::UsageGroup {
                    label: start.day().to_string(),
                    ..day
                };
                let (invoice, _, _) = build_invoice(
                    &usage_only,
                    &bill_to,
                    &request,
                    std::slice::from_ref(&group),
                )?;
                out.insert(start, to_usd(invoice.subtotal, plan));
            }
        }
    }
    Ok(out)
}

fn to_usd(amount: Decimal, plan: &PricingPlan) -> Decimal {
    round_cents(amount / plan.fx())
}
