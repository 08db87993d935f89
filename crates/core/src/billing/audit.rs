//! The billing audit shown beside an invoice preview: calls whose figures should not be trusted
//! blindly. Three disjoint findings, each counted in SQL and listed up to a limit:
//!
//! - **Unsettled**: the call's cost may still change. Its status is not `ended`, or it ended or
//!   was updated by Vapi within the settle window before `now` (Vapi fills in the cost after the
//!   call ends, and `updatedAt` moves each time it does).
//! - **No cost**: an ended, settled call whose cost is missing or zero: billed at no cost by a
//!   markup plan, which is probably wrong.
//! - **Duration mismatch**: an ended call whose `minutes` (what Vapi billed) differs from its
//!   `endedAt - startedAt` by more than the tolerance, or that has minutes but no timestamps to
//!   check them against. Per-minute billing uses the timestamps, so the client's minutes and
//!   Vapi's disagree for these calls.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use super::period::Period;
use super::usage::DURATION_MS_SQL;
use crate::store::time;

/// Knobs of the audit. `now` is explicit so that a preview is reproducible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditOptions {
    pub now: DateTime<Utc>,
    /// How far Vapi's minutes may drift from the timestamps before a call is flagged.
    pub duration_tolerance_seconds: u32,
    /// How long after its end (or last update) a call's cost is still considered moving.
    pub settle_window_minutes: u32,
    /// How many calls each finding lists (all are counted).
    pub max_listed: u32,
}

impl AuditOptions {
    /// 5 s tolerance, 30 min settle window, 50 calls listed per finding.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            duration_tolerance_seconds: 5,
            settle_window_minutes: 30,
            max_listed: 50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum AuditKind {
    Unsettled,
    NoCost,
    DurationMismatch,
}

/// One flagged call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AuditFinding {
    pub call_id: String,
    pub created_at: String,
    pub status: Option<String>,
    /// Why the call is flagged, for a person.
    pub detail: String,
}

/// Every call of one kind: the count, and the first ones by creation time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AuditSection {
    pub kind: AuditKind,
    #[ts(type = "number")]
    pub count: u64,
    pub calls: Vec<AuditFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct BillingAudit {
    pub unsettled: AuditSection,
    pub no_cost: AuditSection,
    pub duration_mismatch: AuditSection,
}

impl BillingAudit {
    /// True when nothing is flagged.
    pub fn is_clean(&self) -> bool {
        self.unsettled.count == 0 && self.no_cost.count == 0 && self.duration_mismatch.count == 0
    }
}

/// The predicate of "unsettled"; `p.cutoff` is the end of the settle window's start.
const UNSETTLED_SQL: &str =
    "(status IS NOT 'ended' OR COALESCE(ended_ms, 0) > p.cutoff OR updated_ms > p.cutoff)";

/// Audits `org_id`'s calls created in `period`.
pub fn audit_calls(
    conn: &Connection,
    org_id: &str,
    period: &Period,
    options: &AuditOptions,
) -> Result<BillingAudit, BillingError> {
    let cutoff =
        time::to_ms(options.now - Duration::minutes(i64::from(options.settle_window_minutes)));
    let tolerance_ms = i64::from(options.duration_tolerance_seconds) * 1000;
    let ctx = Ctx {
        conn,
        org_id,
        period,
        cutoff,
        tolerance_ms,
        limit: i64::from(options.max_listed),
    };

    let unsettled = ctx.section(
        AuditKind::Unsettled,
        UNSETTLED_SQL,
        "CASE WHEN status IS NOT 'ended'
              THEN 'status is ' || COALESCE(status, 'unknown') || ': the cost is not final'
              ELSE 'ended or updated less than the settle window ago: the cost may still change'
         END",
    )?;
    let no_cost = ctx.section(
        AuditKind::NoCost,
        &format!("(NOT {UNSETTLED_SQL} AND COALESCE(cost_micros, 0) = 0)"),
        "CASE WHEN cost_micros IS NULL THEN 'ended without a cost from Vapi'
              ELSE 'ended with a cost of 0' END",
    )?;
    let mismatch_sql = format!(
        "(status IS 'ended' AND minutes IS NOT NULL AND (
             started_ms IS NULL OR ended_ms IS NULL
             OR ABS(CAST(ROUND(minutes * 60000.0) AS INTEGER) - {DURATION_MS_SQL}) > p.tolerance_ms))"
    );
    let duration_mismatch = ctx.section(
        AuditKind::DurationMismatch,
        &mismatch_sql,
        &format!(
            "CASE WHEN started_ms IS NULL OR ended_ms IS NULL
                  THEN 'Vapi billed ' || printf('%.2f', minutes) || ' min but startedAt/endedAt are missing'
                  ELSE 'Vapi billed ' || printf('%.2f', minutes) || ' min; startedAt to endedAt is '
                       || printf('%.2f', {DURATION_MS_SQL} / 60000.0) || ' min'
             END"
        ),
    )?;
    Ok(BillingAudit {
        unsettled,
        no_cost,
        duration_mismatch,
    })
}

struct Ctx<'a> {
    conn: &'a Connection,
    org_id: &'a str,
    period: &'a Period,
    cutoff: i64,
    tolerance_ms: i64,
    limit: i64,
}

impl Ctx<'_> {
    /// Counts and lists the calls matching `predicate`; `detail` is an SQL text expression.
    /// Both fragments are constants of this module, never input. The one-row `p` carries the
    /// parameters that only some predicates use, so every query binds the same list.
    fn section(
        &self,
        kind: AuditKind,
        predicate: &str,
        detail: &str,
    ) -> Result<AuditSection, BillingError> {
        let from = "calls INDEXED BY calls_view, (SELECT ?4 AS cutoff, ?5 AS tolerance_ms) AS p
                    WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3";
        let (start, end) = (self.period.start_ms(), self.period.end_ms());
        let params = (self.org_id, start, end, self.cutoff, self.tolerance_ms);
        let count: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) FROM {from} AND {predicate}"),
            params,
            |row| row.get(0),
        )?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, created_ms, status, {detail} FROM {from} AND {predicate}
             ORDER BY created_ms, id LIMIT ?6"
        ))?;
        let rows = stmt.query_map(
            (
                self.org_id,
                start,
                end,
                self.cutoff,
                self.tolerance_ms,
                self.limit,
            ),
            |row| {
                Ok(AuditFinding {
                    call_id: row.get(0)?,
                    created_at: time::format_ms(row.get(1)?),
                    status: row.get(2)?,
                    detail: row.get(3)?,
                })
            },
        )?;
        Ok(AuditSection {
            kind,
            count: u64::try_from(count).unwrap_or(0),
            calls: rows.collect::<Result<_, _>>()?,
        })
    }
}
