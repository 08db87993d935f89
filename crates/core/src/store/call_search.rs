//! The full-text index of the cached calls (`calls_fts`, see its migration): what is indexed
//! for a call and under which time key. The sync writes it in the transaction that stores the
//! call; calls cached before the index existed are indexed by `sync::search_backfill`.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::StoreError;

/// Slots per millisecond of `createdAt` in a time key: more calls than this created in one
/// millisecond (Vapi's bursts are far smaller) leave the extra ones out of the index.
pub const SLOTS: i64 = 1024;

/// What the index holds of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    pub transcript: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub org_id: &'a str,
    pub assistant_id: Option<&'a str>,
    pub ended_reason: Option<&'a str>,
}

/// The facet tokens of `facets`: one word each (the tokenizer splits on anything but letters
/// and digits), prefixed by their kind. Two values differing only in punctuation share a
/// token; searches check the call's own columns after the index, so that costs time, never a
/// wrong result.
pub fn facet(kind: char, value: &str) -> String {
    std::iter::once(kind)
        .chain(
            value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        )
        .collect()
}

/// The transcript and summary of a call's JSON: `artifact.transcript` and `analysis.summary`
/// (where Vapi puts them now), else the older top-level fields. The sync reads the same fields
/// while it parses a page (`sync/record.rs`).
pub fn searched_text(call: &Value) -> (Option<&str>, Option<&str>) {
    let text = |nested: &str, top: &str| {
        call.pointer(nested)
            .and_then(Value::as_str)
            .or_else(|| call.get(top).and_then(Value::as_str))
    };
    (
        text("/artifact/transcript", "transcript"),
        text("/analysis/summary", "summary"),
    )
}

/// Speaker labels at the start of transcript lines ("AI: ", "User: "): in every line of every
/// call, so indexing them would only make the index larger.
const LABELS: &[&str] = &["AI: ", "User: ", "Assistant: ", "Customer: ", "Bot: "];

/// A transcript as indexed: its lines without their speaker labels.
pub fn spoken(transcript: &str) -> String {
    let mut out = String::with_capacity(transcript.len());
    for line in transcript.lines() {
        let line = LABELS
            .iter()
            .find_map(|l| line.strip_prefix(l))
            .unwrap_or(line);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Indexes a call stored as row `call_rowid` of `calls`, replacing what the index held of it.
pub fn index_call(
    conn: &Connection,
    call_rowid: i64,
    created_ms: i64,
    doc: &SearchDoc<'_>,
) -> Result<(), StoreError> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT key FROM call_search WHERE call_rowid = ?1")?
        .query_row([call_rowid], |r| r.get(0))
        .optional()?;
    if let Some(key) = existing {
        conn.prepare_cached("DELETE FROM calls_fts WHERE rowid = ?1")?
            .execute([key])?;
    }
    let key = match existing {
        Some(key) if key.div_euclid(SLOTS) == created_ms => key,
        _ => {
            // New, or its createdAt moved: a key in its (new) millisecond.
            if existing.is_some() {
                conn.prepare_cached("DELETE FROM call_search WHERE call_rowid = ?1")?
                    .execute([call_rowid])?;
            }
            let Some(key) = free_key(conn, created_ms)? else {
                tracing::warn!(
                    call_rowid,
                    "more than {SLOTS} calls created in one millisecond: this one is not searchable"
                );
                return Ok(());
            };
            conn.prepare_cached("INSERT INTO call_search (call_rowid, key) VALUES (?1, ?2)")?
                .execute([call_rowid, key])?;
            key
        }
    };
    let mut facets = facet('o', doc.org_id);
    for (kind, value) in [('a', doc.assistant_id), ('r', doc.ended_reason)] {
        if let Some(value) = value {
            facets.push(' ');
            facets.push_str(&facet(kind, value));
        }
    }
    conn.prepare_cached(
        "INSERT INTO calls_fts (rowid, transcript, summary, facets) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute((key, doc.transcript.map(spoken), doc.summary, facets))?;
    Ok(())
}

/// The first free key of `created_ms`'s millisecond: after the highest taken, else (when that
/// is the last slot) any gap.
fn free_key(conn: &Connection, created_ms: i64) -> Result<Option<i64>, StoreError> {
    let Some(base) = created_ms.checked_mul(SLOTS) else {
        return Ok(None);
    };
    let last = base + (SLOTS - 1);
    let top: Option<i64> = conn
        .prepare_cached(
            "SELECT key FROM call_search WHERE key BETWEEN ?1 AND ?2 ORDER BY key DESC LIMIT 1",
        )?
        .query_row([base, last], |r| r.get(0))
        .optional()?;
    Ok(match top {
        None => Some(base),
        Some(top) if top < last => Some(top + 1),
        Some(_) => {
            let mut stmt =
                conn.prepare_cached("SELECT key FROM call_search WHERE key BETWEEN ?1 AND ?2")?;
            let taken: HashSet<i64> = stmt
                .query_map([base, last], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            (base..=last).find(|k| !taken.contains(k))
        }
    })
}

/// Empties the index (the call cache is being emptied).
pub fn clear(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "DELETE FROM call_search;
         INSERT INTO calls_fts (calls_fts) VALUES ('delete-all');
         DELETE FROM call_search_backfill;",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_are_single_words_and_labels_are_dropped() {
        assert_eq!(facet('o', "8F3E-11aa_b"), "o8f3e11aab");
        assert_eq!(
            spoken("AI: Hello there\nUser: AI: hi\nno label"),
            "Hello there\nAI: hi\nno label\n"
        );
    }
}
