//! The client report's notable calls: the longest of the month and the latest failed ones.
//! Read without visiting the month's every row: the durations come from the covering index
//! that holds their columns (`calls_view`), the failed calls from the days the rollup says had some,
//! newest first, stopping once enough are found; only the chosen calls' rows are read.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::month::NotableCall;
use super::outcome::Outcome;
use crate::billing::error::BillingError;
use crate::billing::period::Period;
use crate::billing::usage::DURATION_MS_SQL;
use crate::store::time;

/// Names an assistant id as the report does.
pub(super) type AssistantName<'a> = &'a dyn Fn(&Option<String>) -> String;

/// The `count` longest calls of `period`, longest first (ties by id).
pub(super) fn longest(
    conn: &Connection,
    client_id: &str,
    period: &Period,
    count: usize,
    assistant_name: AssistantName<'_>,
) -> Result<Vec<NotableCall>, BillingError> {
    // Only rowid and the duration's columns: answered from the index, no row read. Named so a
    // lost index fails here instead of silently reading every row of the month.
    let sql = format!(
        "SELECT rowid, {DURATION_MS_SQL} AS ms FROM calls INDEXED BY calls_view
         WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3 ORDER BY ms DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query((client_id, period.start_ms(), period.end_ms()))?;
    let mut chosen: Vec<i64> = Vec::new();
    let mut threshold = None;
    while let Some(row) = rows.next()? {
        let ms: i64 = row.get(1)?;
        // Calls as long as the last one kept are kept too: the id decides among them below.
        if threshold.is_some_and(|t| ms < t) {
            break;
        }
        chosen.push(row.get(0)?);
        if chosen.len() == count {
            threshold = Some(ms);
        }
    }
    let mut calls = chosen
        .into_iter()
        .map(|rowid| call(conn, rowid, assistant_name))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    calls.sort_by(|a, b| b.duration_ms.cmp(&a.duration_ms).then(a.id.cmp(&b.id)));
    calls.truncate(count);
    Ok(calls)
}

/// The `count` latest failed calls among `days` (the days with failed calls, newest first),
/// newest first (ties by id).
pub(super) fn failed(
    conn: &Connection,
    client_id: &str,
    days: &[NaiveDate],
    count: usize,
    assistant_name: AssistantName<'_>,
) -> Result<Vec<NotableCall>, BillingError> {
    let sql = format!(
        "SELECT id, assistant_id, ended_reason, created_ms, {DURATION_MS_SQL} FROM calls
         WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3 ORDER BY created_ms DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut found: Vec<NotableCall> = Vec::new();
    for day in days {
        if found.len() >= count {
            break;
        }
        let day = Period::range(*day, *day)?;
        let mut rows = stmt.query((client_id, day.start_ms(), day.end_ms()))?;
        while let Some(row) = rows.next()? {
            let created = time::format_ms(row.get(3)?);
            // Newest first: once enough are found, only calls of the same instant can still
            // be among them (by id).
            if found.len() >= count && found.last().is_some_and(|f| created < f.started) {
                break;
            }
            let reason: Option<String> = row.get(2)?;
            if Outcome::of(reason.as_deref()) != Outcome::Failed {
                continue;
            }
            let assistant: Option<String> = row.get(1)?;
            found.push(NotableCall {
                id: row.get(0)?,
                started: created,
                assistant: assistant_name(&assistant),
                duration_ms: row.get(4)?,
                ended_reason: reason.unwrap_or_default(),
            });
        }
    }
    found.sort_by(|a, b| b.started.cmp(&a.started).then(a.id.cmp(&b.id)));
    found.truncate(count);
    Ok(found)
}

fn call(
    conn: &Connection,
    rowid: i64,
    assistant_name: AssistantName<'_>,
) -> Result<Option<NotableCall>, BillingError> {
    let sql = format!(
        "SELECT id, assistant_id, ended_reason, created_ms, {DURATION_MS_SQL} FROM calls
         WHERE rowid = ?1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([rowid], |row| {
            let assistant: Option<String> = row.get(1)?;
            Ok(NotableCall {
                id: row.get(0)?,
                assistant: assistant_name(&assistant),
                ended_reason: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                started: time::format_ms(row.get(3)?),
                duration_ms: row.get(4)?,
            })
        })
        .optional()?)
}
