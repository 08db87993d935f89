//! The calls view: one page of an org's calls, newest first, filtered by date range and
//! assistant. Keyset pagination on (created_ms, id), so the thousandth page costs what the
//! first does: a seek in the index calls_view (org_id, created_ms, id, assistant_id, ...), whose
//! entries also answer the assistant filter, then `limit` rows.

use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::usd::usd_text;
use crate::error::CoreError;
use crate::store::{time, StoreError};
use crate::sync::raw;

/// Largest page the view may ask for.
const MAX_LIMIT: u32 = 1000;
const DEFAULT_LIMIT: u32 = 100;

/// Where the next page starts: the last row of the previous one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallsCursor {
    pub created_at: String,
    pub id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallsQuery {
    pub org_id: String,
    /// Calls created at or after this time.
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Calls created before this time.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    #[serde(default)]
    #[ts(optional)]
    pub assistant_id: Option<String>,
    /// Rows per page (1-1000; default 100).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next` of the previous page; absent for the first page.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<CallsCursor>,
}

/// One line of the calls view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallRow {
    pub id: String,
    pub created_at: String,
    pub assistant_id: Option<String>,
    /// The assistant's name as last refreshed; `None` for an unknown or deleted assistant.
    pub assistant_name: Option<String>,
    #[serde(rename = "type")]
    pub call_type: Option<String>,
    pub status: Option<String>,
    pub duration_seconds: Option<f64>,
    /// USD, exact decimal text ("0.013060"); `None` until Vapi reports a cost.
    pub cost: Option<String>,
    #[ts(type = "number | null")]
    pub cost_micros: Option<i64>,
    pub ended_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallsPage {
    pub rows: Vec<CallRow>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<CallsCursor>,
}

/// The WHERE clause and its parameters. Only fragments written here go into the SQL; every
/// value from the query is a parameter.
fn conditions(q: &CallsQuery, keyset: bool) -> Result<(String, Vec<SqlValue>), CoreError> {
    let mut sql = String::from("c.org_id = ?");
    let mut params = vec![SqlValue::Text(q.org_id.clone())];
    if let Some(assistant) = &q.assistant_id {
        sql.push_str(" AND c.assistant_id = ?");
        params.push(SqlValue::Text(assistant.clone()));
    }
    if let Some(from) = q.from {
        sql.push_str(" AND c.created_ms >= ?");
        params.push(SqlValue::Integer(time::to_ms(from)));
    }
    if let Some(to) = q.to {
        sql.push_str(" AND c.created_ms < ?");
        params.push(SqlValue::Integer(time::to_ms(to)));
    }
    if let (true, Some(after)) = (keyset, &q.after) {
        let at = time::parse(&after.created_at).ok_or_else(|| {
            CoreError::InvalidInput("That page of calls no longer exists; reload the list.".into())
        })?;
        sql.push_str(" AND (c.created_ms, c.id) < (?, ?)");
        params.push(SqlValue::Integer(time::to_ms(at)));
        params.push(SqlValue::Text(after.id.clone()));
    }
    Ok((sql, params))
}

fn call_row(row: &Row<'_>) -> rusqlite::Result<CallRow> {
    let cost_micros: Option<i64> = row.get(7)?;
    Ok(CallRow {
        id: row.get(0)?,
        created_at: time::format_ms(row.get(1)?),
        assistant_id: row.get(2)?,
        assistant_name: row.get(3)?,
        call_type: row.get(4)?,
        status: row.get(5)?,
        duration_seconds: row.get(6)?,
        cost: cost_micros.map(usd_text),
        cost_micros,
        ended_reason: row.get(8)?,
    })
}

/// One page of the org's calls, newest first.
pub fn list_calls(conn: &Connection, q: &CallsQuery) -> Result<CallsPage, CoreError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let (filter, params) = conditions(q, true)?;
    Ok(page(conn, &filter, params, limit)?)
}

fn page(
    conn: &Connection,
    filter: &str,
    mut params: Vec<SqlValue>,
    limit: u32,
) -> Result<CallsPage, StoreError> {
    let sql = format!(
        "SELECT c.id, c.created_ms, c.assistant_id, a.name, c.type, c.status,
                c.duration_seconds, c.cost_micros, c.ended_reason
         FROM calls c LEFT JOIN assistants a ON a.id = c.assistant_id
         WHERE {filter}
         ORDER BY c.created_ms DESC, c.id DESC
         LIMIT ?"
    );
    // One more than asked tells whether a next page exists.
    params.push(SqlValue::Integer(i64::from(limit) + 1));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(params), call_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| CallsCursor {
            created_at: r.created_at.clone(),
            id: r.id.clone(),
        })
    } else {
        None
    };
    Ok(CallsPage { rows, next })
}

/// How many calls match the query's filters (its `after` and `limit` are ignored).
pub fn count_calls(conn: &Connection, q: &CallsQuery) -> Result<u64, CoreError> {
    let (filter, params) = conditions(q, false)?;
    let sql = format!("SELECT COUNT(*) FROM calls c WHERE {filter}");
    let n: i64 = conn
        .prepare_cached(&sql)
        .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(params), |r| r.get(0)))
        .map_err(StoreError::from)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The call's JSON as Vapi sent it (secret-looking fields removed), if it is cached for
/// that org.
pub fn call_json(
    conn: &Connection,
    org_id: &str,
    call_id: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let blob: Option<Vec<u8>> = conn
        .prepare_cached("SELECT raw FROM calls WHERE id = ?1 AND org_id = ?2")?
        .query_row((call_id, org_id), |r| r.get(0))
        .optional()?;
    blob.map(|b| {
        raw::decode_json_in(conn, &b).map_err(|e| StoreError::Corrupt {
            what: format!("call {call_id}: {e}"),
        })
    })
    .transpose()
}
