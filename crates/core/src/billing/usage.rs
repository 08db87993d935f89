//! Usage of one client over a period, aggregated by SQLite from the `calls_billing` index.
//!
//! A call's duration is `endedAt - startedAt` (to the millisecond), else Vapi's
//! `durationSeconds`, else zero; it is rounded up per call by the plan's rule inside the query,
//! in integer milliseconds, so sums are exact.

use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use super::period::Period;

/// How usage lines are split on the invoice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/lib/bindings/")]
pub enum LineGrouping {
    #[default]
    ByAssistant,
    ByCallType,
}

/// Usage of one group (an assistant or a call type) in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageGroup {
    /// Assistant id or call type; `None` for calls without one.
    pub key: Option<String>,
    /// What the client reads on the invoice line.
    pub label: String,
    pub calls: i64,
    /// Sum of the per-call rounded durations.
    pub billed_millis: i64,
    /// Sum of the exact durations.
    pub duration_millis: i64,
    /// Vapi's cost, micro-USD (calls with no cost yet count as 0).
    pub cost_micros: i64,
}

/// SQL for one call's duration in milliseconds, from the columns of `calls`.
pub(crate) const DURATION_MS_SQL: &str = "COALESCE(
    MAX(0, CAST(ROUND((julianday(ended_at) - julianday(started_at)) * 86400000.0) AS INTEGER)),
    MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
    0)";

/// What [`usage_by`] groups calls by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Assistant,
    CallType,
    /// UTC day of `createdAt`; the key is `YYYY-MM-DD`.
    Day,
    /// UTC month of `createdAt`; the key is `YYYY-MM`.
    Month,
}

impl From<LineGrouping> for GroupBy {
    fn from(grouping: LineGrouping) -> Self {
        match grouping {
            LineGrouping::ByAssistant => Self::Assistant,
            LineGrouping::ByCallType => Self::CallType,
        }
    }
}

/// Usage per group of `org_id`'s calls created in `period`, each call's duration rounded up to
/// `step_millis`; ordered by label.
pub fn usage_by(
    conn: &Connection,
    org_id: &str,
    period: &Period,
    group_by: GroupBy,
    step_millis: i64,
) -> Result<Vec<UsageGroup>, BillingError> {
    let sql = usage_sql(group_by);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        (
            org_id,
            period.start_timestamp(),
            period.end_timestamp(),
            step_millis.max(1),
        ),
        |row| group_from_row(row, group_by),
    )?;
    let mut groups = rows.collect::<Result<Vec<_>, _>>()?;
    groups.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.key.cmp(&b.key)));
    Ok(groups)
}

/// The aggregation query of [`usage_by`]; its fragments come from the match, never from input.
fn usage_sql(group_by: GroupBy) -> String {
    let (key, name) = match group_by {
        GroupBy::Assistant => (
            "assistant_id",
            "(SELECT name FROM assistants WHERE id = g.grp)",
        ),
        GroupBy::CallType => ("type", "NULL"),
        GroupBy::Day => ("substr(created_at, 1, 10)", "NULL"),
        GroupBy::Month => ("substr(created_at, 1, 7)", "NULL"),
    };
    format!(
        "WITH c AS (
             SELECT {key} AS grp, cost_micros, {DURATION_MS_SQL} AS ms
             FROM calls
             WHERE org_id = ?1 AND created_at >= ?2 AND created_at < ?3
         ),
         g AS (
             SELECT grp, COUNT(*) AS calls, SUM((ms + ?4 - 1) / ?4 * ?4) AS billed_ms,
                    SUM(ms) AS ms, SUM(COALESCE(cost_micros, 0)) AS cost
             FROM c GROUP BY grp
         )
         SELECT g.grp, {name}, g.calls, g.billed_ms, g.ms, g.cost FROM g"
    )
}

fn group_from_row(row: &Row<'_>, group_by: GroupBy) -> rusqlite::Result<UsageGroup> {
    let key: Option<String> = row.get(0)?;
    let name: Option<String> = row.get(1)?;
    let label = match group_by {
        GroupBy::Assistant => assistant_label(key.as_deref(), name.as_deref()),
        GroupBy::CallType => call_type_label(key.as_deref()),
        GroupBy::Day | GroupBy::Month => key.clone().unwrap_or_default(),
    };
    Ok(UsageGroup {
        key,
        label,
        calls: row.get(2)?,
        billed_millis: row.get(3)?,
        duration_millis: row.get(4)?,
        cost_micros: row.get(5)?,
    })
}

fn assistant_label(id: Option<&str>, name: Option<&str>) -> String {
    match (id, name.map(str::trim).filter(|n| !n.is_empty())) {
        (_, Some(name)) => name.to_owned(),
        (Some(id), None) => format!("Assistant {id}"),
        (None, None) => "Other calls (transient assistant or squad)".to_owned(),
    }
}

/// Vapi's call types as a client reads them.
pub fn call_type_label(call_type: Option<&str>) -> String {
    match call_type {
        Some("inboundPhoneCall") => "Inbound phone calls".to_owned(),
        Some("outboundPhoneCall") => "Outbound phone calls".to_owned(),
        Some("webCall") => "Web calls".to_owned(),
        Some("vapi.websocketCall") => "WebSocket calls".to_owned(),
        Some(other) if !other.trim().is_empty() => format!("Calls of type {other}"),
        _ => "Calls of unknown type".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Every grouping aggregates from the covering index alone, never from the call rows.
    #[test]
    fn usage_queries_read_only_the_covering_index() {
        let store = Store::open_in_memory().unwrap();
        for group_by in [
            GroupBy::Assistant,
            GroupBy::CallType,
            GroupBy::Day,
            GroupBy::Month,
        ] {
            let details: Vec<String> = store
                .read(|conn| {
                    let mut stmt =
                        conn.prepare(&format!("EXPLAIN QUERY PLAN {}", usage_sql(group_by)))?;
                    let rows = stmt.query_map(("org", "a", "b", 1), |r| r.get::<_, String>(3))?;
                    Ok::<_, BillingError>(rows.collect::<Result<Vec<_>, _>>()?)
                })
                .unwrap();
            let scan = details
                .iter()
                .find(|d| d.contains("calls"))
                .unwrap_or_else(|| panic!("{details:?}"));
            assert!(
                scan.contains("COVERING INDEX calls_billing"),
                "{group_by:?}: {details:?}"
            );
        }
    }

    #[test]
    fn call_types_read_as_words() {
        assert_eq!(call_type_label(Some("webCall")), "Web calls");
        assert_eq!(call_type_label(Some("custom")), "Calls of type custom");
        assert_eq!(call_type_label(None), "Calls of unknown type");
        assert_eq!(assistant_label(Some("a1"), Some("  ")), "Assistant a1");
    }
}
