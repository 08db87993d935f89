//! The one writer: a blocking thread that stores pages for every org, batching the pages that
//! are waiting into one transaction. Each page goes in with the pass state it leads to, so the
//! database never holds calls its state does not account for (nor the reverse).

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{ToSql, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::error::SyncError;
use super::progress::{ProgressSink, SyncProgress};
use super::record::CallRow;
use super::state::{self, Pass};
use crate::store::call_dicts::{self, CallDict};
use crate::store::call_search::{self, SearchDoc, ToIndex};
use crate::store::{Store, StoreError};

/// Where the pass stands once the page is stored.
#[derive(Debug)]
pub(crate) enum StateChange {
    Progress(Pass),
    /// The page was the pass's last: the watermark moves to this time.
    Complete {
        watermark: DateTime<Utc>,
    },
}

pub(crate) struct WriteJob {
    pub org_id: String,
    pub org_name: String,
    /// A dictionary the rows (or later pages of the org) are compressed with, stored first.
    pub dict: Option<CallDict>,
    pub rows: Vec<CallRow>,
    pub state: StateChange,
    /// Sent once the page is committed.
    pub progress: SyncProgress,
    pub ack: oneshot::Sender<Result<(), SyncError>>,
}

/// Inserts calls or, when one is already cached, replaces it with the newer version. A row is
/// never handed to another org, and never replaced by an older version of itself. `{rows}` is
/// the placeholder groups, one per row. Returns the rows it wrote, for the search index.
const UPSERT: &str = "INSERT INTO calls (id, org_id, assistant_id, type, status,
        ended_reason, created_ms, updated_ms, started_ms, ended_ms, duration_seconds,
        cost_micros, transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros,
        chat_micros, minutes, raw, success)
    VALUES {rows}
    ON CONFLICT (id) DO UPDATE SET
        assistant_id = excluded.assistant_id,
        type = excluded.type,
        status = excluded.status,
        ended_reason = excluded.ended_reason,
        created_ms = excluded.created_ms,
        updated_ms = excluded.updated_ms,
        started_ms = excluded.started_ms,
        ended_ms = excluded.ended_ms,
        duration_seconds = excluded.duration_seconds,
        cost_micros = excluded.cost_micros,
        transport_micros = excluded.transport_micros,
        stt_micros = excluded.stt_micros,
        llm_micros = excluded.llm_micros,
        tts_micros = excluded.tts_micros,
        vapi_micros = excluded.vapi_micros,
        chat_micros = excluded.chat_micros,
        minutes = excluded.minutes,
        raw = excluded.raw,
        success = excluded.success
    WHERE calls.org_id = excluded.org_id AND excluded.updated_ms >= calls.updated_ms
    RETURNING rowid, id, updated_ms";

const COLUMNS: usize = 21;

/// Rows per statement. The rollup triggers make SQLite keep a statement journal of every page a
/// statement changes; rows written together share most of those pages (the table's last leaf,
/// the index leaves of one org's recent days), so a statement of many rows journals each page
/// once instead of once per row. Measured on a full sync of 200k calls: about a third less
/// writer time than one row per statement. 32 rows use 672 of SQLite's 32,766 parameters.
const ROWS_PER_STATEMENT: usize = 32;

fn upsert_sql(rows: usize) -> String {
    let group = format!("({})", vec!["?"; COLUMNS].join(", "));
    UPSERT.replace("{rows}", &vec![group; rows].join(",\n        "))
}

/// Stores `rows` and indexes those written (see [`write_rows`]).
pub(crate) fn insert_rows(
    tx: &Transaction<'_>,
    org_id: &str,
    rows: &[CallRow],
) -> Result<(), StoreError> {
    let mut to_index = Vec::with_capacity(rows.len());
    write_rows(tx, org_id, rows, &mut to_index)?;
    call_search::index_calls(tx, &to_index)
}

/// Stores `rows` and adds those it wrote to `to_index`, for the caller to index once with the
/// rest of its transaction's calls (the index writes best in one ordered run, see
/// [`call_search::index_calls`]).
pub(crate) fn write_rows<'r>(
    tx: &Transaction<'_>,
    org_id: &'r str,
    rows: &'r [CallRow],
    to_index: &mut Vec<ToIndex<'r>>,
) -> Result<(), StoreError> {
    static SQL: OnceLock<(String, String)> = OnceLock::new();
    let (many, one) = SQL.get_or_init(|| (upsert_sql(ROWS_PER_STATEMENT), upsert_sql(1)));
    let mut chunks = rows.chunks_exact(ROWS_PER_STATEMENT);
    let mut written = Vec::with_capacity(ROWS_PER_STATEMENT);
    let mut stmt = tx.prepare_cached(many)?;
    for chunk in &mut chunks {
        let values: Vec<&dyn ToSql> = chunk.iter().flat_map(|r| row_params(&org_id, r)).collect();
        collect_written(stmt.query(values.as_slice())?, &mut written)?;
        to_index_of(org_id, chunk, &mut written, to_index);
    }
    let mut stmt = tx.prepare_cached(one)?;
    for r in chunks.remainder() {
        collect_written(stmt.query(row_params(&org_id, r).as_slice())?, &mut written)?;
        to_index_of(org_id, std::slice::from_ref(r), &mut written, to_index);
    }
    Ok(())
}

/// (rowid, id, updated_ms) of each row a statement inserted or replaced (not those it left
/// alone because they were older than the cached version).
fn collect_written(
    mut returned: rusqlite::Rows<'_>,
    written: &mut Vec<(i64, String, i64)>,
) -> Result<(), StoreError> {
    while let Some(r) = returned.next()? {
        written.push((r.get(0)?, r.get(1)?, r.get(2)?));
    }
    Ok(())
}

/// The rows of `chunk` a statement wrote, as the index needs them. A call given twice in one
/// statement is indexed as the version that stayed.
fn to_index_of<'r>(
    org_id: &'r str,
    chunk: &'r [CallRow],
    written: &mut Vec<(i64, String, i64)>,
    to_index: &mut Vec<ToIndex<'r>>,
) {
    // The newest version of a row first, which is the one that stayed.
    written.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| b.2.cmp(&a.2)));
    written.dedup_by_key(|w| w.0);
    for (rowid, id, updated_ms) in written.drain(..) {
        let Some(row) = chunk
            .iter()
            .rev()
            .find(|r| r.id == id && r.updated_ms == updated_ms)
        else {
            continue;
        };
        to_index.push(ToIndex {
            call_rowid: rowid,
            created_ms: row.created_ms,
            doc: SearchDoc {
                transcript: row.transcript.as_deref(),
                summary: row.summary.as_deref(),
                org_id,
                assistant_id: row.assistant_id.as_deref(),
                ended_reason: row.ended_reason.as_deref(),
            },
        });
    }
}

/// A row's values, in the column order of [`UPSERT`].
fn row_params<'r>(org_id: &'r &'r str, r: &'r CallRow) -> [&'r dyn ToSql; COLUMNS] {
    let [transport, stt, llm, tts, vapi, chat] = &r.components;
    [
        &r.id,
        org_id,
        &r.assistant_id,
        &r.call_type,
        &r.status,
        &r.ended_reason,
        &r.created_ms,
        &r.updated_ms,
        &r.started_ms,
        &r.ended_ms,
        &r.duration_seconds,
        &r.cost_micros,
        transport,
        stt,
        llm,
        tts,
        vapi,
        chat,
        &r.minutes,
        &r.raw,
        &r.success,
    ]
}

/// Stores the jobs' pages in `tx`, then indexes every call they wrote in one run.
fn apply(tx: &Transaction<'_>, jobs: &[WriteJob]) -> Result<(), StoreError> {
    let mut to_index = Vec::with_capacity(jobs.iter().map(|j| j.rows.len()).sum());
    for job in jobs {
        if let Some(dict) = &job.dict {
            call_dicts::insert(tx, dict)?;
        }
        write_rows(tx, &job.org_id, &job.rows, &mut to_index)?;
        match &job.state {
            StateChange::Progress(pass) => state::save_pass(tx, &job.org_id, pass)?,
            StateChange::Complete { watermark } => {
                state::complete_pass(tx, &job.org_id, *watermark)?;
            }
        }
    }
    call_search::index_calls(tx, &to_index)
}

/// Runs until every sender is dropped. Call on a blocking thread.
pub(crate) fn run(
    store: Arc<Store>,
    jobs: mpsc::Receiver<WriteJob>,
    max_rows: usize,
    progress: ProgressSink,
) {
    store.bulk_writes(|| write_all(&store, jobs, max_rows, &progress));
}

fn write_all(
    store: &Store,
    mut jobs: mpsc::Receiver<WriteJob>,
    max_rows: usize,
    progress: &ProgressSink,
) {
    // Orgs with a page that could not be stored: their later pages are refused, since each
    // page's pass state counts on every earlier page of the pass being stored.
    let mut failed: HashSet<String> = HashSet::new();
    let (mut busy, mut batches, mut since) = (Duration::ZERO, 0u32, Instant::now());
    let started = since;
    while let Some(first) = jobs.blocking_recv() {
        since = Instant::now();
        let mut rows = first.rows.len();
        let mut batch = vec![first];
        while rows < max_rows {
            match jobs.try_recv() {
                Ok(job) => {
                    rows += job.rows.len();
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        let (refused, batch): (Vec<_>, Vec<_>) =
            batch.into_iter().partition(|j| failed.contains(&j.org_id));
        refused.into_iter().for_each(refuse);
        let together = store.write(|tx| apply(tx, &batch));
        if together.is_ok() {
            for job in batch {
                finish(job, Ok(()), progress);
            }
        } else {
            // One page spoiled the batch (e.g. its org was unlinked meanwhile): store the pages
            // one by one so only that org fails.
            for job in batch {
                if failed.contains(&job.org_id) {
                    refuse(job);
                    continue;
                }
                let alone = store.write(|tx| apply(tx, std::slice::from_ref(&job)));
                if alone.is_err() {
                    failed.insert(job.org_id.clone());
                }
                finish(job, alone, progress);
            }
        }
        busy += since.elapsed();
        batches += 1;
    }
    tracing::debug!(
        batches,
        busy_ms = busy.as_millis() as u64,
        idle_ms = started.elapsed().saturating_sub(busy).as_millis() as u64,
        "sync writer done"
    );
}

fn refuse(job: WriteJob) {
    let _ = job.ack.send(Err(SyncError::Internal(format!(
        "{}: an earlier page could not be saved",
        job.org_name
    ))));
}

fn finish(job: WriteJob, result: Result<(), StoreError>, progress: &ProgressSink) {
    let result = result.map_err(|source| SyncError::Store {
        org: job.org_name.clone(),
        source,
    });
    if result.is_ok() {
        progress(job.progress);
    }
    // The org's task may be gone (cancelled); the page is stored either way.
    let _ = job.ack.send(result);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
    use crate::store::time;
    use crate::sync::options::RawEncoding;
    use crate::sync::progress::{no_progress, SyncPhase};
    use crate::sync::record::{parse_page, PageDict};
    use serde_json::value::RawValue;

    fn rows(org: &str, ids: &[&str]) -> Vec<CallRow> {
        rows_updated(org, ids, "2026-11-01T10:00:00Z")
    }

    fn rows_updated(org: &str, ids: &[&str], updated_at: &str) -> Vec<CallRow> {
        let page: Vec<Box<RawValue>> = ids
            .iter()
            .map(|id| {
                let call = serde_json::json!({"id": id, "orgId": org, "status": updated_at,
                    "createdAt": "2026-11-01T10:00:00Z", "updatedAt": updated_at});
                RawValue::from_string(call.to_string()).unwrap()
            })
            .collect();
        parse_page(org, org, &page, RawEncoding::Plain, PageDict::None)
            .unwrap()
            .rows
    }

    fn job(
        org: &str,
        ids: &[&str],
        dict: Option<CallDict>,
    ) -> (WriteJob, oneshot::Receiver<Result<(), SyncError>>) {
        let (ack, done) = oneshot::channel();
        let job = WriteJob {
            org_id: org.into(),
            org_name: org.into(),
            dict,
            rows: rows(org, ids),
            state: StateChange::Progress(Pass::new(Utc::now(), None)),
            progress: SyncProgress {
                org_id: org.into(),
                org_name: org.into(),
                phase: SyncPhase::Backfill,
                pages: 1,
                calls: ids.len() as u64,
                reached: None,
                message: String::new(),
            },
            ack,
        };
        (job, done)
    }

    fn add_orgs(store: &Store, ids: &[&str]) {
        store
            .write(|tx| {
                for id in ids {
                    clients::upsert(
                        tx,
                        &ClientOrgRow {
                            id: (*id).into(),
                            name: (*id).into(),
                            base_url: "http://127.0.0.1:9".into(),
                            key_fingerprint: None,
                            kind: OrgKind::Client,
                            status: OrgStatus::Linked,
                            linked_at: None,
                            updated_at: time::now(),
                        },
                    )?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    fn statuses(store: &Store) -> Vec<(String, String)> {
        store
            .read(|c| {
                let mut stmt = c.prepare("SELECT id, status FROM calls ORDER BY id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
            })
            .unwrap()
    }

    /// Rows go in [`ROWS_PER_STATEMENT`] to a statement, the rest one by one: both paths keep
    /// the upsert's rules (newer versions replace, older ones do not; a repeat within one
    /// statement counts as a newer version; no call moves to another org).
    #[test]
    fn many_rows_per_statement_keep_the_upsert_rules() {
        let store = Store::open_in_memory().unwrap();
        add_orgs(&store, &["a", "b"]);
        let n = ROWS_PER_STATEMENT * 2 + 5;
        let ids: Vec<String> = (0..n).map(|i| format!("c{i:03}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let old = "2026-11-01T10:00:00.000Z";
        let new = "2026-11-02T10:00:00.000Z";
        let write = |org: &str, rows: Vec<CallRow>| {
            store.write(|tx| insert_rows(tx, org, &rows)).unwrap();
        };
        write("a", rows_updated("a", &ids, new));
        assert_eq!(statuses(&store).len(), n);
        // Older versions of every call (both paths): nothing changes.
        write("a", rows_updated("a", &ids, old));
        assert!(statuses(&store).iter().all(|(_, s)| s == new));
        // Another org claiming the ids: nothing changes.
        write("b", rows_updated("b", &ids, "2026-11-03T10:00:00.000Z"));
        assert!(statuses(&store).iter().all(|(_, s)| s == new));
        // One statement holding a call twice: the later (newer) version stays.
        let mut twice = rows_updated("a", &ids[..ROWS_PER_STATEMENT - 1], new);
        twice.extend(rows_updated("a", &ids[..1], "2026-11-04T10:00:00.000Z"));
        write("a", twice);
        let after = statuses(&store);
        assert_eq!(after[0].1, "2026-11-04T10:00:00.000Z");
        assert!(after[1..].iter().all(|(_, s)| s == new));
        assert_eq!(after.len(), n);
    }

    /// Each page's pass state counts on the org's earlier pages being stored: once one fails,
    /// the org's later pages (already queued) must not be stored either. Other orgs go on.
    #[test]
    fn a_failed_page_refuses_the_later_pages_of_its_org_only() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        store
            .write(|tx| {
                for id in ["a", "b"] {
                    clients::upsert(
                        tx,
                        &ClientOrgRow {
                            id: id.into(),
                            name: id.into(),
                            base_url: "http://127.0.0.1:9".into(),
                            key_fingerprint: None,
                            kind: OrgKind::Client,
                            status: OrgStatus::Linked,
                            linked_at: None,
                            updated_at: time::now(),
                        },
                    )?;
                }
                call_dicts::insert(
                    tx,
                    &CallDict {
                        id: 40_000,
                        org_id: "a".into(),
                        samples: 1,
                        dict: vec![1, 2, 3],
                    },
                )
            })
            .unwrap();
        // A different dictionary under a taken id: this page cannot be stored.
        let clash = CallDict {
            id: 40_000,
            org_id: "a".into(),
            samples: 1,
            dict: vec![9],
        };
        let (tx, rx) = mpsc::channel(8);
        let (first, first_done) = job("a", &["a1"], Some(clash));
        let (second, second_done) = job("a", &["a2"], None);
        let (other, other_done) = job("b", &["b1"], None);
        for j in [first, second, other] {
            tx.try_send(j).ok().unwrap();
        }
        drop(tx);
        write_all(&store, rx, 100, &no_progress());
        assert!(first_done.blocking_recv().unwrap().is_err());
        assert!(second_done.blocking_recv().unwrap().is_err());
        assert!(other_done.blocking_recv().unwrap().is_ok());
        let ids: Vec<String> = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT id FROM calls ORDER BY id")?;
                let ids = stmt.query_map([], |r| r.get(0))?;
                Ok::<_, StoreError>(ids.collect::<Result<_, _>>()?)
            })
            .unwrap();
        assert_eq!(ids, ["b1"]);
    }

    /// Pages stored together are indexed in one run at the end of their transaction. FTS5
    /// writes its in-memory terms out as a segment whenever a later statement of the
    /// transaction opens a statement journal (the calls upsert does: triggers, constraints)
    /// and whenever a rowid is not above the previous one (pages come newest first):
    /// indexing each statement's rows after it made one segment per 32 calls.
    #[test]
    fn pages_stored_together_are_indexed_in_one_run() {
        let store = Store::open_in_memory().unwrap();
        add_orgs(&store, &["a"]);
        let page = |newest: usize| {
            let calls: Vec<Box<RawValue>> = (newest - 70..newest)
                .rev()
                .map(|i| {
                    let call = serde_json::json!({"id": format!("c{i:04}"), "orgId": "a",
                        "status": "ended", "transcript": format!("AI: hello\nUser: word{i}"),
                        "createdAt": format!("2026-11-01T10:{:02}:{:02}.000Z", i / 60, i % 60),
                        "updatedAt": "2026-11-02T00:00:00.000Z"});
                    RawValue::from_string(call.to_string()).unwrap()
                })
                .collect();
            parse_page("a", "a", &calls, RawEncoding::Plain, PageDict::None)
                .unwrap()
                .rows
        };
        let (tx, rx) = mpsc::channel(8);
        let mut acks = Vec::new();
        for newest in [210, 140, 70] {
            let (mut j, done) = job("a", &[], None);
            j.rows = page(newest);
            tx.try_send(j).ok().unwrap();
            acks.push(done);
        }
        drop(tx);
        write_all(&store, rx, 1000, &no_progress());
        for done in acks {
            assert!(done.blocking_recv().unwrap().is_ok());
        }
        store
            .read(|c| {
                assert_eq!(call_search::segment_writes(c), 1);
                let hits: i64 = c.query_row(
                    "SELECT COUNT(*) FROM calls_fts WHERE calls_fts MATCH 'hello'",
                    [],
                    |r| r.get(0),
                )?;
                assert_eq!(hits, 210);
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}
