//! The sync's bookkeeping in `sync_state`: the watermark, and the unfinished pass if any.
//! Written only inside the transactions that store the pages they describe.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::store::{time, StoreError};

/// A pass under way: which calls it reads and how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pass {
    pub started_at: DateTime<Utc>,
    /// `updatedAtGe` of every page; `None` while reading the whole history.
    pub since: Option<DateTime<Utc>>,
    /// `createdAtLe` of the next page; `None` before the first.
    pub cursor: Option<DateTime<Utc>>,
    pub pages: u64,
    pub calls: u64,
}

impl Pass {
    pub fn new(started_at: DateTime<Utc>, since: Option<DateTime<Utc>>) -> Self {
        Self {
            started_at,
            since,
            cursor: None,
            pages: 0,
            calls: 0,
        }
    }

    pub fn is_backfill(&self) -> bool {
        self.since.is_none()
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct OrgState {
    /// Calls updated before this are in the cache (as of their last update).
    pub watermark: Option<DateTime<Utc>>,
    pub pass: Option<Pass>,
}

fn parse_opt(text: Option<String>, what: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.map(|t| {
        time::parse(&t).ok_or_else(|| StoreError::Corrupt {
            what: format!("sync_state.{what} {t:?}"),
        })
    })
    .transpose()
}

pub(crate) fn load(conn: &Connection, org_id: &str) -> Result<OrgState, StoreError> {
    type Raw = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        i64,
        i64,
    );
    let row: Option<Raw> = conn
        .query_row(
            "SELECT updated_watermark, pass_started_at, pass_since, pass_cursor, pass_pages,
                    pass_calls
             FROM sync_state WHERE org_id = ?1",
            [org_id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    let Some((watermark, started, since, cursor, pages, calls)) = row else {
        return Ok(OrgState::default());
    };
    let pass = match parse_opt(started, "pass_started_at")? {
        Some(started_at) => Some(Pass {
            started_at,
            since: parse_opt(since, "pass_since")?,
            cursor: parse_opt(cursor, "pass_cursor")?,
            pages: u64::try_from(pages).unwrap_or(0),
            calls: u64::try_from(calls).unwrap_or(0),
        }),
        None => None,
    };
    Ok(OrgState {
        watermark: parse_opt(watermark, "updated_watermark")?,
        pass,
    })
}

/// Records how far the pass got, with the page that got it there.
pub(crate) fn save_pass(tx: &Transaction<'_>, org_id: &str, pass: &Pass) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_state (org_id, pass_started_at, pass_since, pass_cursor, pass_pages,
                                 pass_calls)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (org_id) DO UPDATE SET
             pass_started_at = excluded.pass_started_at,
             pass_since = excluded.pass_since,
             pass_cursor = excluded.pass_cursor,
             pass_pages = excluded.pass_pages,
             pass_calls = excluded.pass_calls",
    )?
    .execute((
        org_id,
        time::format(pass.started_at),
        pass.since.map(time::format),
        pass.cursor.map(time::format),
        i64::try_from(pass.pages).unwrap_or(i64::MAX),
        i64::try_from(pass.calls).unwrap_or(i64::MAX),
    ))?;
    Ok(())
}

/// Ends the pass with its last page: the watermark moves, the pass state is cleared.
pub(crate) fn complete_pass(
    tx: &Transaction<'_>,
    org_id: &str,
    watermark: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_state (org_id, updated_watermark, created_watermark, last_sync_at)
         VALUES (?1, ?2, (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', MAX(created_ms) / 1000.0,
                                          'unixepoch')
                          FROM calls WHERE org_id = ?1), ?3)
         ON CONFLICT (org_id) DO UPDATE SET
             updated_watermark = excluded.updated_watermark,
             created_watermark = excluded.created_watermark,
             last_sync_at = excluded.last_sync_at,
             last_error = NULL,
             pass_started_at = NULL,
             pass_since = NULL,
             pass_cursor = NULL,
             pass_pages = 0,
             pass_calls = 0",
    )?
    .execute((org_id, time::format(watermark), time::now()))?;
    Ok(())
}

/// Notes why the org's last sync failed (shown beside the org). The pass state is kept, so the
/// next sync resumes it.
pub(crate) fn record_error(
    conn: &Connection,
    org_id: &str,
    message: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sync_state (org_id, last_error) SELECT ?1, ?2
         WHERE EXISTS (SELECT 1 FROM client_orgs WHERE id = ?1)
         ON CONFLICT (org_id) DO UPDATE SET last_error = excluded.last_error",
        (org_id, message),
    )?;
    Ok(())
}

/// Calls of the org in the cache.
pub(crate) fn cached_calls(conn: &Connection, org_id: &str) -> Result<u64, StoreError> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM calls WHERE org_id = ?1",
        [org_id],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
