//! Usage of one client over a period, read from the `calls_daily` rollup (calls summed per
//! org, UTC day, assistant and call type, kept exact by triggers; see the `billing_rollup`
//! migration). A period is whole UTC days, so the rollup answers every period exactly, from a
//! few rows per day instead of every call.
//!
//! A call's duration is `endedAt - startedAt` to the millisecond: the sync stores it as
//! `duration_seconds`, else it is computed from the timestamps, else zero. The rollup holds the
//! sums of each call's duration rounded up to 6, 30 and 60 s, so per-call rounding is exact.

use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use super::period::Period;
use super::plan::MinuteRounding;

/// How usage lines are split on the invoice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
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

/// SQL for one call's duration in milliseconds, from the columns of `calls`: its duration,
/// else the time from start to end (the rollup triggers count the same way).
pub(crate) const DURATION_MS_SQL: &str = "COALESCE(
    MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
    MAX(0, ended_ms - started_ms),
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

/// Usage per group of `org_id`'s calls created in `period`, each call's duration rounded up by
/// `rounding`; ordered by label.
pub fn usage_by(
    conn: &Connection,
    org_id: &str,
    period: &Period,
    group_by: GroupBy,
    rounding: MinuteRounding,
) -> Result<Vec<UsageGroup>, BillingError> {
    let sql = usage_sql(group_by, rounding);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        (org_id, period.from.to_string(), period.to.to_string()),
        |row| group_from_row(row, group_by),
    )?;
    let mut groups = rows.collect::<Result<Vec<_>, _>>()?;
    groups.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.key.cmp(&b.key)));
    Ok(groups)
}

/// The aggregation query of [`usage_by`]; its fragments come from the matches, never from input.
fn usage_sql(group_by: GroupBy, rounding: MinuteRounding) -> String {
    let (key, name) = match group_by {
        GroupBy::Assistant => (
            "NULLIF(assistant_id, '')",
            "(SELECT name FROM assistants WHERE id = g.grp)",
        ),
        GroupBy::CallType => ("NULLIF(type, '')", "NULL"),
        GroupBy::Day => ("day", "NULL"),
        GroupBy::Month => ("substr(day, 1, 7)", "NULL"),
    };
    let billed = match rounding {
        MinuteRounding::ExactSeconds => "duration_ms",
        MinuteRounding::UpTo6Seconds => "billed_ms_6",
        MinuteRounding::UpTo30Seconds => "billed_ms_30",
        MinuteRounding::UpTo60Seconds => "billed_ms_60",
    };
    format!(
        "WITH g AS (
             SELECT {key} AS grp, SUM(calls) AS calls, SUM({billed}) AS billed_ms,
                    SUM(duration_ms) AS ms, SUM(cost_micros) AS cost
             FROM calls_daily
             WHERE org_id = ?1 AND day >= ?2 AND day <= ?3
             GROUP BY grp
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

    /// Every grouping reads a key range of the rollup's primary key, never the calls.
    #[test]
    fn usage_queries_read_the_rollup_by_its_key() {
        let store = Store::open_in_memory().unwrap();
        for group_by in [
            GroupBy::Assistant,
            GroupBy::CallType,
            GroupBy::Day,
            GroupBy::Month,
        ] {
            let sql = format!(
                "EXPLAIN QUERY PLAN {}",
                usage_sql(group_by, MinuteRounding::UpTo6Seconds)
            );
            let details: Vec<String> = store
                .read(|conn| {
                    let mut stmt = conn.prepare(&sql)?;
                    let rows = stmt.query_map(("org", "a", "b"), |r| r.get::<_, String>(3))?;
                    Ok::<_, BillingError>(rows.collect::<Result<Vec<_>, _>>()?)
                })
                .unwrap();
            assert!(
                details
                    .iter()
                    .any(|d| d.contains("SEARCH calls_daily USING PRIMARY KEY")),
                "{group_by:?}: {details:?}"
            );
            assert!(
                !details.iter().any(|d| d.contains(" calls ")),
                "{details:?}"
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
