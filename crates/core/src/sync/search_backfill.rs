//! Indexes calls cached before the full-text index existed (its migration leaves a marker when
//! the cache was not empty). Their JSON is compressed, which the migration's SQL cannot read, so
//! this runs when the agency opens: batches of calls, each batch in its own transaction with
//! the marker moved past it, so a stop resumes where it was and the app can be used meanwhile.

use std::time::Instant;

use rusqlite::OptionalExtension;

use super::raw::Decoder;
use crate::store::call_search::{self, searched_text, SearchDoc, ToIndex};
use crate::store::{Store, StoreError};

/// Calls per transaction.
const BATCH: i64 = 2_000;

/// Indexes every call the marker says is not indexed yet; returns how many were indexed.
pub fn backfill_search_index(store: &Store) -> Result<u64, StoreError> {
    let pending: Option<i64> = store.read(|c| {
        Ok::<_, StoreError>(
            c.query_row("SELECT next_rowid FROM call_search_backfill", [], |r| {
                r.get(0)
            })
            .optional()?,
        )
    })?;
    if pending.is_none() {
        return Ok(0);
    }
    let started = Instant::now();
    tracing::info!("building the call search index for calls cached before it existed");
    let mut decoder = Decoder::new();
    let done = store.bulk_writes(|| {
        let mut done = 0u64;
        while let Some(n) = store.write(|tx| batch(tx, &mut decoder))? {
            done += n;
        }
        Ok::<_, StoreError>(done)
    })?;
    tracing::info!(
        calls = done,
        ms = started.elapsed().as_millis() as u64,
        "call search index built"
    );
    Ok(done)
}

/// A cached call as the index needs it: rowid, org, assistant, endedReason, createdAt, JSON.
type Unindexed = (i64, String, Option<String>, Option<String>, i64, Vec<u8>);

/// One batch; `None` once the marker is gone.
fn batch(tx: &rusqlite::Transaction<'_>, decoder: &mut Decoder) -> Result<Option<u64>, StoreError> {
    let Some(next) = tx
        .query_row("SELECT next_rowid FROM call_search_backfill", [], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
    else {
        return Ok(None);
    };
    let rows: Vec<Unindexed> = tx
        .prepare_cached(
            "SELECT rowid, org_id, assistant_id, ended_reason, created_ms, raw
             FROM calls WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2",
        )?
        .query_map([next, BATCH], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let mut readable = Vec::with_capacity(rows.len());
    for (rowid, org_id, assistant_id, ended_reason, created_ms, raw) in &rows {
        // A row that cannot be read stays out of the index rather than stop it.
        let json = match decoder.decode_json(tx, raw) {
            Ok(json) => json,
            Err(e) => {
                tracing::warn!(rowid = *rowid, error = %e, "a cached call could not be read for the search index");
                continue;
            }
        };
        readable.push((
            *rowid,
            *created_ms,
            org_id,
            assistant_id,
            ended_reason,
            json,
        ));
    }
    let to_index: Vec<ToIndex<'_>> = readable
        .iter()
        .map(
            |(rowid, created_ms, org_id, assistant_id, ended_reason, json)| {
                let (transcript, summary) = searched_text(json);
                ToIndex {
                    call_rowid: *rowid,
                    created_ms: *created_ms,
                    doc: SearchDoc {
                        transcript,
                        summary,
                        org_id,
                        assistant_id: assistant_id.as_deref(),
                        ended_reason: ended_reason.as_deref(),
                    },
                }
            },
        )
        .collect();
    call_search::index_calls(tx, &to_index)?;
    match rows.last() {
        Some((last, ..)) if rows.len() as i64 == BATCH => {
            tx.execute(
                "UPDATE call_search_backfill SET next_rowid = ?1",
                [last + 1],
            )?;
        }
        _ => {
            tx.execute("DELETE FROM call_search_backfill", [])?;
        }
    }
    Ok(Some(rows.len() as u64))
}
