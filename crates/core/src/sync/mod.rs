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
//! with secret-looking fields to remove (`secrets.rs`). Parsing runs on blocking threads. One writer thread stores the pages
//! of every org, batching those waiting into one transaction with cached statements; an org
//! fetches its next page while its previous one is written.
//!
//! The raw JSON is stored as a zstd frame at level 1, one reused compression context per page.
//! Measured on the simulator's realistic calls (200k calls, ~5.5 kB of JSON each, 2 cores;
//! `BENCH_ENCODINGS=1 benches/sync.sh`): plain JSON made a 1.6 GB database and the slowest full
//! sync (14.1 s); zstd level 1 stores the JSON 3.4x smaller (1.6 kB a call, 0.79 GB database)
//! and was the fastest (11.4 s), the smaller writes paying for the compression; level 3 saves
//! only 1% more, negative (faster) levels compress worse and were not faster overall.
//! [`raw::decode`] reads either form back.
//!
//! Indexes: every synced call updates the table, its id, calls_billing (billing's covering
//! index), calls_org_updated (stats) and calls_view (the calls view, assistant filter
//! included), and nothing else: index upkeep is most of the cost of storing a call.
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
mod record;
mod secrets;
mod state;
mod writer;

pub use engine::{sync_calls, SyncTarget};
pub use error::SyncError;
pub use options::{RawEncoding, SyncOptions};
pub use progress::{
    no_progress, OrgSyncSummary, ProgressSink, SyncOutcome, SyncPhase, SyncProgress, SyncReport,
};
pub use tokio_util::sync::CancellationToken;
