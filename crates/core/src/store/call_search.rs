//! The full-text index of the cached calls (`calls_fts`, see its migration): what is indexed
//! for a call and under which time key. The sync writes it in the transaction that stores the
//! call; calls cached before the index existed are indexed by `sync::search_backfill`.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::StoreError;

/// Keys per second of `createdAt`: a call's key is its second times this plus a slot, the slot
/// of its millisecond when that keeps the second's keys in the order of the calls' times. More
/// calls than this created in one second (Vapi's bursts are far smaller) leave the extra ones
/// out of the index. Keys of milliseconds times 1024, as first written, made the gaps between
/// a word's calls, most of the index, about 10 bits longer (the `search_keys` migration).
pub const SLOTS: i64 = 1024;

const MS_PER_SECOND: i64 = 1000;

/// What the index holds of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchDoc<'a> {
    pub transcript: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub org_id: &'a str,
    pub assistant_id: Option<&'a str>,
    pub ended_reason: Option<&'a str>,
}

impl SearchDoc<'_> {
    /// The `facets` column: the call's org, assistant and endedReason as one word each.
    pub fn facets(&self) -> String {
        let mut facets = facet('o', self.org_id);
        for (kind, value) in [('a', self.assistant_id), ('r', self.ended_reason)] {
            if let Some(value) = value {
                facets.push(' ');
                facets.push_str(&facet(kind, value));
            }
        }
        facets
    }
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

/// A call whose row the current transaction wrote, to be indexed (or indexed again).
#[derive(Debug, Clone, Copy)]
pub struct ToIndex<'a> {
    pub call_rowid: i64,
    pub created_ms: i64,
    pub doc: SearchDoc<'a>,
}

/// One write to `calls_fts`: a document's terms removed, or added.
enum FtsWrite<'a> {
    Delete,
    Insert(&'a SearchDoc<'a>),
}

/// Indexes `calls`, replacing what the index held of them; a call given twice is indexed as
/// its last version.
///
/// Call it once per transaction, after the transaction's other writes. The index's writes go
/// in one run in ascending key order, deletes before inserts of the same key: FTS5 holds new
/// terms in memory and writes them out as a new segment (later merged) at commit, but also
/// whenever a document's rowid is not above the previous one, and whenever a later statement
/// of the transaction opens a statement journal (the calls upsert does). Indexing calls in the
/// order they were stored, between upserts, cut a batch into segments of a few calls each.
pub fn index_calls(conn: &Connection, calls: &[ToIndex<'_>]) -> Result<(), StoreError> {
    let mut last: HashMap<i64, &ToIndex<'_>> = HashMap::with_capacity(calls.len());
    for call in calls {
        last.insert(call.call_rowid, call);
    }
    let mut unique: Vec<&ToIndex<'_>> = last.into_values().collect();
    // Keys are handed out in the order of the calls' times (ties by row), so calls created in
    // one second take its slots in the order of their times.
    unique.sort_unstable_by_key(|c| (c.created_ms, c.call_rowid));
    let mut writes: Vec<(i64, FtsWrite<'_>)> = Vec::with_capacity(unique.len() * 2);
    // A row above every indexed row has no key yet: a full sync's calls skip the lookup.
    let newest_keyed: Option<i64> = conn
        .prepare_cached("SELECT MAX(call_rowid) FROM call_search")?
        .query_row([], |r| r.get(0))?;
    let mut taken = TakenKeys::load(conn, &unique)?;
    for call in unique {
        let existing: Option<i64> = if newest_keyed.is_some_and(|n| call.call_rowid <= n) {
            conn.prepare_cached("SELECT key FROM call_search WHERE call_rowid = ?1")?
                .query_row([call.call_rowid], |r| r.get(0))
                .optional()?
        } else {
            None
        };
        if let Some(key) = existing {
            writes.push((key, FtsWrite::Delete));
        }
        let key = match existing {
            Some(key) if key.div_euclid(SLOTS) == call.created_ms.div_euclid(MS_PER_SECOND) => key,
            _ => {
                // New, or its createdAt moved: a key in its (new) second.
                if let Some(old) = existing {
                    conn.prepare_cached("DELETE FROM call_search WHERE call_rowid = ?1")?
                        .execute([call.call_rowid])?;
                    taken.release(old);
                }
                let Some(key) = taken.free_key(conn, call.created_ms)? else {
                    tracing::warn!(
                        call_rowid = call.call_rowid,
                        "more than {SLOTS} calls created in one second: this one is not searchable"
                    );
                    continue;
                };
                conn.prepare_cached("INSERT INTO call_search (call_rowid, key) VALUES (?1, ?2)")?
                    .execute([call.call_rowid, key])?;
                taken.hand_out(key, call.created_ms);
                key
            }
        };
        writes.push((key, FtsWrite::Insert(&call.doc)));
    }
    writes.sort_by_key(|(key, write)| (*key, matches!(write, FtsWrite::Insert(_))));
    let mut delete = conn.prepare_cached("DELETE FROM calls_fts WHERE rowid = ?1")?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO calls_fts (rowid, transcript, summary, facets) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (key, write) in writes {
        match write {
            FtsWrite::Delete => {
                delete.execute([key])?;
            }
            FtsWrite::Insert(doc) => {
                insert.execute((key, doc.transcript.map(spoken), doc.summary, doc.facets()))?;
            }
        }
    }
    Ok(())
}

/// Seconds further apart than this are read from `call_search` in separate runs.
const RUN_GAP_SECONDS: i64 = 3600;

/// The keys taken in the seconds of one transaction's calls, and the createdAt of the call
/// holding each (`None` for a row whose call is gone), read in a few range scans instead of a
/// lookup per call (measured: most of the index's share of the sync writer's time).
struct TakenKeys {
    /// second -> (key, its call's createdAt in ms)
    by_second: HashMap<i64, Vec<(i64, Option<i64>)>>,
    /// The seconds the scans covered; any other is read when asked.
    runs: Vec<(i64, i64)>,
}

impl TakenKeys {
    /// `calls` in ascending createdAt.
    fn load(conn: &Connection, calls: &[&ToIndex<'_>]) -> Result<Self, StoreError> {
        let mut taken = Self {
            by_second: HashMap::new(),
            runs: Vec::new(),
        };
        let mut seconds = calls.iter().map(|c| c.created_ms.div_euclid(MS_PER_SECOND));
        let Some(mut first) = seconds.next() else {
            return Ok(taken);
        };
        let mut last = first;
        for second in seconds {
            if second - last > RUN_GAP_SECONDS {
                taken.read(conn, first, last)?;
                first = second;
            }
            last = second;
        }
        taken.read(conn, first, last)?;
        Ok(taken)
    }

    /// Reads the keys of seconds `first..=last`.
    fn read(&mut self, conn: &Connection, first: i64, last: i64) -> Result<(), StoreError> {
        let (Some(lo), Some(hi)) = (
            first.checked_mul(SLOTS),
            last.checked_mul(SLOTS)
                .and_then(|k| k.checked_add(SLOTS - 1)),
        ) else {
            return Ok(());
        };
        let mut stmt = conn.prepare_cached(
            "SELECT s.key, c.created_ms FROM call_search s
             LEFT JOIN calls c ON c.rowid = s.call_rowid WHERE s.key BETWEEN ?1 AND ?2",
        )?;
        let rows = stmt.query_map((lo, hi), |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))?;
        for row in rows {
            let (key, created) = row?;
            self.by_second
                .entry(key.div_euclid(SLOTS))
                .or_default()
                .push((key, created));
        }
        self.runs.push((first, last));
        Ok(())
    }

    fn covers(&self, second: i64) -> bool {
        self.runs.iter().any(|&(a, b)| a <= second && second <= b)
    }

    fn release(&mut self, key: i64) {
        if let Some(keys) = self.by_second.get_mut(&key.div_euclid(SLOTS)) {
            keys.retain(|(k, _)| *k != key);
        }
    }

    fn hand_out(&mut self, key: i64, created_ms: i64) {
        self.by_second
            .entry(key.div_euclid(SLOTS))
            .or_default()
            .push((key, Some(created_ms)));
    }

    /// A free key in `created_ms`'s second, between the keys of the second's calls created
    /// before and after it: its millisecond's slot if free, else the nearest free one upward,
    /// then downward. When none is left between them (a second's calls stored out of order,
    /// over a thousand), any free key of the second: the search then lists them a little out
    /// of order.
    fn free_key(&mut self, conn: &Connection, created_ms: i64) -> Result<Option<i64>, StoreError> {
        let second = created_ms.div_euclid(MS_PER_SECOND);
        let Some(base) = second.checked_mul(SLOTS) else {
            return Ok(None);
        };
        if !self.covers(second) {
            self.read(conn, second, second)?;
        }
        let last = base + (SLOTS - 1);
        // (key, held by a call created at or before this one)
        let taken: Vec<(i64, bool)> = self
            .by_second
            .get(&second)
            .map(|keys| {
                keys.iter()
                    .map(|&(k, at)| (k, at.is_none_or(|at| at <= created_ms)))
                    .collect()
            })
            .unwrap_or_default();
        let lo = taken
            .iter()
            .filter(|(_, before)| *before)
            .map(|(k, _)| k + 1)
            .max()
            .unwrap_or(base);
        let hi = taken
            .iter()
            .filter(|(_, before)| !*before)
            .map(|(k, _)| k - 1)
            .min()
            .unwrap_or(last);
        let keys: HashSet<i64> = taken.iter().map(|(k, _)| *k).collect();
        let free = |k: &i64| !keys.contains(k);
        if lo <= hi {
            let want = (base + created_ms.rem_euclid(MS_PER_SECOND)).clamp(lo, hi);
            if let Some(key) = (want..=hi).chain((lo..want).rev()).find(free) {
                return Ok(Some(key));
            }
        }
        Ok((base..=last).find(free))
    }
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
/// SQLite's variable-length integer (as FTS5 writes its structure record): 7 bits a byte,
/// high bit set on all but the last, the ninth byte whole.
fn varint(b: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    for i in 0..9 {
        let byte = b[*at];
        *at += 1;
        if i == 8 {
            return (v << 8) | u64::from(byte);
        }
        v = (v << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            break;
        }
    }
    v
}

#[cfg(test)]
/// How many times the index has written its in-memory terms out as a new segment: the
/// highest "origin" of its segments (contentless_delete tables number each such write),
/// from its structure record (`calls_fts_data` row 10).
pub(crate) fn segment_writes(conn: &Connection) -> u64 {
    let b: Vec<u8> = conn
        .query_row("SELECT block FROM calls_fts_data WHERE id = 10", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        &b[4..8],
        b"\xFF\x00\x00\x01",
        "a structure record with origins"
    );
    let mut at = 8;
    let levels = varint(&b, &mut at);
    let _segments = varint(&b, &mut at);
    let _writes = varint(&b, &mut at);
    let mut highest = 0;
    for _ in 0..levels {
        let _merge = varint(&b, &mut at);
        for _ in 0..varint(&b, &mut at) {
            let fields: Vec<u64> = (0..8).map(|_| varint(&b, &mut at)).collect();
            highest = highest.max(fields[4]);
        }
    }
    highest
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

    use crate::store::Store;

    fn keys_newest_first(conn: &Connection, word: &str) -> Vec<i64> {
        let mut stmt = conn
            .prepare("SELECT rowid FROM calls_fts WHERE calls_fts MATCH ?1 ORDER BY rowid DESC")
            .unwrap();
        let keys = stmt.query_map([word], |r| r.get(0)).unwrap();
        keys.collect::<Result<_, _>>().unwrap()
    }

    /// Calls given newest first (as the sync reads them) are indexed in one ordered run: the
    /// transaction's terms go out as one segment, not one per call (FTS5 writes a segment each
    /// time a rowid is not above the previous one). The result is the same index either way.
    #[test]
    fn calls_given_newest_first_are_indexed_in_one_run() {
        let store = Store::open_in_memory().unwrap();
        let base = 1_790_000_000_000_i64;
        let texts: Vec<String> = (0..600)
            .map(|i| format!("AI: hello\nUser: number{i}"))
            .collect();
        let calls: Vec<ToIndex<'_>> = (0..600)
            .rev()
            .map(|i| ToIndex {
                call_rowid: i + 1,
                created_ms: base + i * 1_000,
                doc: SearchDoc {
                    transcript: Some(&texts[i as usize]),
                    summary: Some("a caller"),
                    org_id: "org-1",
                    assistant_id: None,
                    ended_reason: None,
                },
            })
            .collect();
        store.write(|tx| index_calls(tx, &calls)).unwrap();
        store
            .read(|c| {
                assert_eq!(segment_writes(c), 1);
                let keys = keys_newest_first(c, "hello");
                assert_eq!(keys.len(), 600);
                assert_eq!(keys[0], (base + 599_000) / 1000 * SLOTS);
                assert!(keys.windows(2).all(|w| w[0] > w[1]));
                assert_eq!(
                    keys_newest_first(c, "number7"),
                    [(base + 7_000) / 1000 * SLOTS]
                );
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    /// A call given twice is indexed as its last version; a call indexed before is replaced in
    /// place, or under a new key when its createdAt moved; calls of one millisecond take its
    /// slots in order.
    #[test]
    fn repeats_replacements_and_shared_milliseconds() {
        let store = Store::open_in_memory().unwrap();
        let doc = |text: &'static str| SearchDoc {
            transcript: Some(text),
            summary: None,
            org_id: "org-1",
            assistant_id: None,
            ended_reason: None,
        };
        let call = |rowid: i64, ms: i64, text: &'static str| ToIndex {
            call_rowid: rowid,
            created_ms: ms,
            doc: doc(text),
        };
        store
            .write(|tx| {
                index_calls(
                    tx,
                    &[
                        call(1, 5_000, "first version"),
                        call(2, 5_000, "same millisecond"),
                        call(1, 5_000, "second version"),
                        call(3, 9_000, "moving call"),
                    ],
                )
            })
            .unwrap();
        store
            .write(|tx| index_calls(tx, &[call(3, 7_000, "moved call"), call(2, 5_000, "again")]))
            .unwrap();
        store
            .read(|c| {
                assert!(keys_newest_first(c, "first").is_empty());
                assert_eq!(keys_newest_first(c, "version"), [5 * SLOTS]);
                assert!(keys_newest_first(c, "same").is_empty());
                assert_eq!(keys_newest_first(c, "again"), [5 * SLOTS + 1]);
                assert!(keys_newest_first(c, "moving").is_empty());
                assert_eq!(keys_newest_first(c, "call"), [7 * SLOTS]);
                let rows: i64 =
                    c.query_row("SELECT COUNT(*) FROM call_search", [], |r| r.get(0))?;
                assert_eq!(rows, 3);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    /// A millisecond of one second (1,790,000,000 s after the epoch).
    fn at(ms: i64) -> i64 {
        1_790_000_000_000 + ms
    }

    /// (rowid, millisecond) of five calls of that second, given out of time order.
    const ONE_SECOND: [(i64, i64); 5] = [(1, 500), (5, 999), (4, 401), (2, 400), (3, 400)];

    /// A store holding the calls of [`ONE_SECOND`], none indexed.
    fn one_second_store() -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
                     VALUES ('org-1', 'Acme', 'https://api.vapi.ai', 'client', 'linked', '')",
                    [],
                )?;
                for (rowid, ms) in ONE_SECOND {
                    tx.execute(
                        "INSERT INTO calls (rowid, id, org_id, created_ms, updated_ms, raw)
                         VALUES (?1, ?2, 'org-1', ?3, ?3, X'7B7D')",
                        (rowid, format!("call-{rowid}"), at(ms)),
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    fn one_second_call((rowid, ms): (i64, i64)) -> ToIndex<'static> {
        ToIndex {
            call_rowid: rowid,
            created_ms: at(ms),
            doc: SearchDoc {
                transcript: Some("hello"),
                org_id: "org-1",
                ..SearchDoc::default()
            },
        }
    }

    /// (rowid, key's slot in the second) of every indexed call, by key; all five findable.
    fn one_second_keys(store: &Store) -> Vec<(i64, i64)> {
        let base = at(0) / 1000 * SLOTS;
        store
            .read(|c| {
                let mut stmt = c.prepare("SELECT call_rowid, key FROM call_search ORDER BY key")?;
                let keys: Vec<(i64, i64)> = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? - base)))?
                    .collect::<Result<_, _>>()?;
                assert_eq!(keys_newest_first(c, "hello").len(), 5);
                Ok::<_, StoreError>(keys)
            })
            .unwrap()
    }

    /// Calls of one second take their milliseconds' slots, so its keys keep the calls' order
    /// when they are stored out of order; a call whose neighbours leave no key between them
    /// takes any free key of its second.
    #[test]
    fn keys_of_one_second_follow_the_calls_times() {
        let store = one_second_store();
        for call in ONE_SECOND {
            store
                .write(|tx| index_calls(tx, &[one_second_call(call)]))
                .unwrap();
        }
        assert_eq!(
            one_second_keys(&store),
            [(3, 0), (2, 400), (4, 401), (1, 500), (5, 999)]
        );
    }

    /// Calls of one transaction take keys from what the batch has handed out so far, beside
    /// those stored before it, as if each had been looked up after the previous one's insert.
    #[test]
    fn one_batch_hands_out_the_keys_of_one_second_in_time_order() {
        let store = one_second_store();
        store
            .write(|tx| index_calls(tx, &[one_second_call(ONE_SECOND[0])]))
            .unwrap();
        let rest: Vec<ToIndex<'_>> = ONE_SECOND[1..]
            .iter()
            .map(|&c| one_second_call(c))
            .collect();
        store.write(|tx| index_calls(tx, &rest)).unwrap();
        assert_eq!(
            one_second_keys(&store),
            [(2, 400), (3, 401), (4, 402), (1, 500), (5, 999)]
        );
    }
}
