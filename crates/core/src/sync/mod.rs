//! Call sync: copies each org's calls from Vapi's `GET /call` into the local `calls` table, so
//! charts, invoices and the calls view read a cache that equals what Vapi holds.
//!
//! # How calls are paged (Vapi has no cursor)
//! `GET /call` returns at most 1000 calls, newest `createdAt` first, and filters on
//! `createdAt`/`updatedAt` ranges. A **pass** reads every call matching one filter, page after
//! page: each page asks for `createdAtLe = cursor`, the cursor being the oldest `createdAt` of
//! the previous page. `Le` rather than `Lt` because several calls can share one `createdAt`
//! (outbound campaigns create 150 at once): with `Lt` those beyond the page edge would be
//! skipped. The calls at the edge come again on the next page and are upserted by id, so none is
//! doubled. A page shorter than the limit ends the pass.
//!
//! A full page whose calls all share one `createdAt` would come back forever. That instant is
//! then read on its own (`createdAtGe = createdAtLe = T`), splitting the `updatedAt` range in
//! halves until each half fits in a page; afterwards the cursor moves to T - 1 ms (timestamps
//! have millisecond precision). Only a page of calls sharing both the same `createdAt` and
//! `updatedAt` millisecond cannot be paged; the org then fails with a clear error
//! ([`SyncError::Unpageable`]) instead of looping.
//!
//! # What is read
//! The first pass of an org has no filter: its whole history (phase `backfill`). Later passes
//! ask for `updatedAtGe = watermark` (phase `incremental`): every change of a call moves its
//! `updatedAt`, so this catches new calls and costs that settled since, in one filter.
//!
//! The **watermark** set when a pass completes is the pass's *start* time minus a margin
//! ([`SyncOptions::watermark_margin`], 2 minutes), not the newest `updatedAt` seen: a call
//! updated during the pass, after the cursor had passed its `createdAt`, is not in this pass,
//! and a watermark taken from what was seen could be later than its update and miss it forever.
//! With the start time it is caught by the next pass. The margin absorbs clock skew between this
//! machine and Vapi and writes that become visible a little after their `updatedAt`; re-reading
//! the calls inside it costs an upsert each.
//!
//! # Never losing anything
//! - The pass state (start, filter, cursor, counts) lives in `sync_state` and is written in the
//!   same transaction as the page it follows from; the watermark moves only in the transaction
//!   of the pass's last page. A sync stopped at any point (error, cancel, app closed, kill -9)
//!   resumes its pass from the stored cursor; pages it re-reads are upserted.
//! - A resumed pass completes with the watermark of its own (earlier) start, so a fresh pass
//!   follows it in the same run.
//! - Pages of an org are committed in the order they were read; when one fails, the org's
//!   later pages are refused, never stored past the gap.
//! - A page is parsed and checked whole before anything of it is written
//!   (`record.rs`); a cut-off or malformed page is a transient failure the client retries, and
//!   is never half-stored. A call of another org, or without a readable `createdAt`, rejects
//!   the page.
//! - An upsert never replaces a call by an older version of itself (`updatedAt` compared) and
//!   never moves a call to another org.
//!
//! What is not caught: calls *deleted* in Vapi stay in the cache (the list has no tombstones).
//!
//! # Speed
//! Orgs sync concurrently; [`SyncOptions::max_in_flight`] requests are in flight at once over
//! all of them. Pages are split into each call's raw JSON in one pass
//! (`VapiClient::list_calls_raw`); one walk over each call, building no JSON tree, reads the
//! columns and checks every field name, and the JSON is re-serialized only for the rare call
//! with secret-looking fields to remove (`secrets.rs`). Parsing and compressing run on blocking
//! threads.
//!
//! Fetching and writing overlap: each org hands its pages to one writer thread and goes on
//! fetching, up to `PAGES_AHEAD` (8) pages ahead of what is committed (48 pages over all orgs);
//! the writer stores the pages waiting from every org in one transaction (up to
//! [`SyncOptions::write_batch_rows`], 40k rows), each page with its pass state, in the order the
//! org sent them. Pages of an org are never stored out of order, and once one of its pages
//! fails its later pages are refused (their pass state counts on it). Measured with the writer
//! timed (200k calls, 2 cores shared with other builds): it was busy 98% of a full sync, so
//! its cost is the sync's cost, and that cost was commits: with one page per org in flight a
//! batch held at most 5 pages, and each of ~60 commits rewrote most pages of the random-keyed
//! id index and ended in a checkpoint fsync (194 fsyncs, 17 s on a busy disk). Now a full sync
//! makes ~6 commits, and while it runs the store keeps a 64 MiB page cache and checkpoints
//! every 64 MiB of WAL instead of every 4 MiB, then truncates the WAL (`Store::bulk_writes`).
//!
//! Each page's rows are stored oldest `createdAt` first. The sync reads newest first, and rows
//! inserted in descending key order leave every index page they split half empty (measured:
//! calls_view, calls_billing and calls_org_updated were 50% free space); ascending runs keep
//! them ~87% full, for backfills and incremental passes alike.
//!
//! # Storage of the JSON
//! A call's JSON (about 5.5 kB on the simulator's realistic calls) is stored as a zstd frame at
//! level 1, compressed with a dictionary trained on the org's own calls (`raw.rs`,
//! `call_dicts`): calls of one org repeat the same prompts, cost items and phrasing, which a
//! call compressed alone must carry itself. Measured (200k calls): 1,606 bytes of JSON a call
//! compressed alone, 515 with the org's dictionary; one dictionary for all orgs did half as
//! well (1.1 kB), a 110 kB dictionary no better than 32 kB, level 3 1% better.
//!
//! The org's first page of at least 100 calls trains its dictionary (on up to 500 of them,
//! ~0.4 s), after secret-looking fields were removed, so a dictionary holds nothing a stored
//! call may not. The dictionary is stored in the transaction of that page, before any row that
//! needs it; its id (zstd derives it from the content) is in the header of every frame
//! compressed with it, so rows need no extra column, and an org can get a newer dictionary
//! later while older rows keep naming theirs. Rows stored before dictionaries (plain JSON or a
//! frame of its own) read as before: [`raw::Decoder`] tells the three forms apart by their
//! first bytes. [`RawEncoding::Zstd`] and [`RawEncoding::Plain`] remain for comparisons
//! (`BENCH_ENCODINGS=1 benches/sync.sh`).
//!
//! Measured on the simulator's 200k realistic calls: the cache went from 3.4 kB to 1.46 kB a
//! call (database file, WAL checkpointed): the table from 2.6 kB to 0.95 kB (the JSON, and a
//! 4 kB page now holds four rows where it often held one), the indexes from 0.8 kB to 0.5 kB.
//!
//! Indexes: every synced call updates the table, its id and calls_view (the calls view,
//! assistant filter included, and the covering index of billing and the report's longest
//! calls), and no other index of calls: index upkeep is most of the cost of storing a call. The
//! full-text index of transcripts and summaries (`store/call_search.rs`) is written in the same
//! transaction: each row the upsert reports written is indexed (or indexed again) under its time
//! key, all of a transaction's calls in one run after its upserts, in ascending key order. FTS5
//! keeps new terms in memory and writes them out as a new segment (to be merged later) at
//! commit, but also whenever a later statement of the transaction opens a statement journal
//! (the upsert does) and whenever a rowid is not above the one before: indexing each
//! statement's rows after it, as the first version did, made a segment per 32 calls, and the
//! merges of those segments were most of what the index cost the writer.
//!
//! # Using it
//! `Agency::sync_calls(org, options, progress, cancel)` for linked orgs, or [`sync_calls`] with
//! explicit clients. Progress arrives as [`SyncProgress`] events (per org: phase, pages, calls
//! stored, how far back); the result is a [`SyncReport`] with one [`OrgSyncSummary`] per org.

mod agency;
mod engine;
mod error;
mod options;
mod org;
mod progress;
pub mod raw;
mod reconcile;
mod record;
#[cfg(test)]
mod record_props;
mod record_text;
mod resync_days;
mod schedule;
mod search_backfill;
mod secrets;
mod state;
mod success_backfill;
mod writer;

pub use engine::{sync_calls, SyncTarget};
pub use error::SyncError;
pub use options::{RawEncoding, SyncOptions};
pub use progress::{
    no_progress, OrgSyncSummary, ProgressSink, SyncOutcome, SyncPhase, SyncProgress, SyncReport,
};
pub use reconcile::{DayTotals, Reconciliation};
pub use schedule::{BackgroundSchedule, Tick};
pub use search_backfill::backfill_search_index;
pub use success_backfill::backfill_success;
pub use tokio_util::sync::CancellationToken;
