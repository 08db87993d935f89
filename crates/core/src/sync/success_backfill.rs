//! Fills `calls.success` for calls cached before the column existed (its migration leaves a
//! marker when the cache was not empty), as the search index's backfill does: batches of calls,
//! each in its own transaction with the marker moved past it, so a stop resumes where it was.

use std::time::Instant;

use rusqlite::OptionalExtension;
use serde::Deserialize;

use super::raw::Decoder;
use crate::store::{Store, StoreError};
use crate::vapi::success::verdict_of;

/// Calls per transaction.
const BATCH: i64 = 5_000;

/// The one field read of each call; anything else in its JSON is skipped unread.
#[derive(Deserialize)]
struct Evaluated {
    #[serde(default)]
    analysis: Option<Analysis>,
}

#[derive(Deserialize)]
struct Analysis {
    #[serde(rename = "successEvaluation", default)]
    success_evaluation: Option<serde_json::Value>,
}

/// Records the verdict of every call the marker says is not done yet; returns how many calls
/// were read.
pub fn backfill_success(store: &Store) -> Result<u64, StoreError> {
    let pending: Option<i64> = store.read(|c| {
        Ok::<_, StoreError>(
            c.query_row("SELECT next_rowid FROM call_success_backfill", [], |r| {
                r.get(0)
            })
            .optional()?,
        )
    })?;
    if pending.is_none() {
        return Ok(0);
    }
    let started = Instant::now();
    tracing::info!("reading the success evaluations of calls cached before they were kept");
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
        "success evaluations read"
    );
    Ok(done)
}

/// One batch; `None` once the marker is gone.
fn batch(tx: &rusqlite::Transaction<'_>, decoder: &mut Decoder) -> Result<Option<u64>, StoreError> {
    let Some(next) = tx
        .query_row("SELECT next_rowid FROM call_success_backfill", [], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
    else {
        return Ok(None);
    };
    let rows: Vec<(i64, Vec<u8>)> = tx
        .prepare_cached("SELECT rowid, raw FROM calls WHERE rowid >= ?1 ORDER BY rowid LIMIT ?2")?
        .query_map([next, BATCH], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut update = tx.prepare_cached("UPDATE calls SET success = ?2 WHERE rowid = ?1")?;
    for (rowid, raw) in &rows {
        // A call that cannot be read keeps no verdict rather than stop the others.
        let text = match decoder.decode(tx, raw) {
            Ok(text) => text,
            Err(e) => {
                tracing::warn!(rowid = *rowid, error = %e, "a cached call could not be read for its success evaluation");
                continue;
            }
        };
        let verdict = serde_json::from_str::<Evaluated>(&text)
            .ok()
            .and_then(|c| c.analysis)
            .and_then(|a| a.success_evaluation)
            .and_then(|v| verdict_of(&v));
        // Rows without a verdict keep their NULL: no write, no rollup trigger.
        if let Some(verdict) = verdict {
            update.execute((rowid, verdict))?;
        }
    }
    match rows.last() {
        Some((last, ..)) if rows.len() as i64 == BATCH => {
            tx.execute(
                "UPDATE call_success_backfill SET next_rowid = ?1",
                [last + 1],
            )?;
        }
        _ => {
            tx.execute("DELETE FROM call_success_backfill", [])?;
        }
    }
    Ok(Some(rows.len() as u64))
}
