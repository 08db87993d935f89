//! One org's sync: finish the pass an earlier run left, then read what changed since the
//! watermark. Pages are fetched one after the other (Vapi has no cursor: each page's filter
//! depends on the previous page), and each is written while the next one is fetched.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Duration as TimeDelta, Utc};
use serde_json::value::RawValue;
use tokio::sync::{mpsc, oneshot, Semaphore};
use tokio_util::sync::CancellationToken;
use zstd::dict::EncoderDictionary;

use super::error::SyncError;
use super::options::RawEncoding;
use super::options::SyncOptions;
use super::progress::{ProgressSink, SyncPhase, SyncProgress};
use super::raw::TrainedDict;
use super::record::{parse_page, CallRow, PageDict, MIN_TRAIN_CALLS};
use super::state::{self, Pass};
use super::writer::{StateChange, WriteJob};
use crate::blocking::join_failure;
use crate::store::call_dicts::{self, CallDict};
use crate::store::{time, Store};
use crate::vapi::{CallFilter, VapiClient};

/// Pages of one org handed to the writer and not yet committed, at most. Fetching runs this
/// far ahead of the writer, so the writer finds several pages of each org waiting and stores
/// them in one transaction: fewer commits, each rewriting fewer index pages per call.
pub(crate) const PAGES_AHEAD: usize = 8;

/// How many pages may be parsed and compressed at once: one core fewer than the machine has.
/// The writer is the sync's bottleneck and works on one thread; parsing is about half its work
/// a page, so one parser keeps ahead of it, and parsing every org's page at once only takes
/// CPU from the writer (measured on 2 cores: the writer busy 8 s for 5.5 s of its own CPU).
pub(crate) fn parse_slots() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

/// What every org's task shares.
pub(crate) struct Shared {
    pub store: Arc<Store>,
    pub options: SyncOptions,
    pub permits: Semaphore,
    /// Pages parsed and compressed at once (see [`parse_slots`]).
    pub parsers: Semaphore,
    pub writer: mpsc::Sender<WriteJob>,
    pub progress: ProgressSink,
    pub cancel: CancellationToken,
}

/// What this run did for the org.
#[derive(Debug, Default)]
pub(crate) struct RunStats {
    pub pages: u64,
    pub calls: u64,
    pub backfill: bool,
}

pub(crate) struct OrgSync<'a> {
    pub shared: &'a Shared,
    pub org_id: &'a str,
    pub org_name: &'a str,
    pub client: &'a VapiClient,
    pub stats: RunStats,
    /// Pages handed to the writer and not yet confirmed, oldest first, with their calls.
    pending: VecDeque<(oneshot::Receiver<Result<(), SyncError>>, u64)>,
    /// The org's compression dictionary, once it has one.
    dict: Option<Arc<EncoderDictionary<'static>>>,
    /// False once training failed in this run (it is not retried on every page).
    may_train: bool,
    /// A dictionary trained on a page not yet handed to the writer: it goes with that page.
    unsaved_dict: Option<CallDict>,
}

impl<'a> OrgSync<'a> {
    pub fn new(
        shared: &'a Shared,
        org_id: &'a str,
        org_name: &'a str,
        client: &'a VapiClient,
    ) -> Self {
        Self {
            shared,
            org_id,
            org_name,
            client,
            stats: RunStats::default(),
            pending: VecDeque::new(),
            dict: None,
            may_train: true,
            unsaved_dict: None,
        }
    }

    pub fn event(&self, phase: SyncPhase, pass: Option<&Pass>, message: String) -> SyncProgress {
        SyncProgress {
            org_id: self.org_id.to_owned(),
            org_name: self.org_name.to_owned(),
            phase,
            pages: pass.map_or(0, |p| p.pages),
            calls: pass.map_or(0, |p| p.calls),
            reached: pass.and_then(|p| p.cursor).map(time::format),
            message,
        }
    }

    fn emit(&self, event: SyncProgress) {
        (self.shared.progress)(event);
    }

    /// Runs the org's passes; the DB holds every page written before an error or cancellation.
    pub async fn run(&mut self) -> Result<(), SyncError> {
        let result = self.passes().await;
        // Whatever happened, wait for the page already handed over, so the summary counts
        // what is stored and a write error is not lost.
        let flushed = self.flush().await;
        result.and(flushed)
    }

    async fn passes(&mut self) -> Result<(), SyncError> {
        self.emit(self.event(
            SyncPhase::Listing,
            None,
            "Looking for new and updated calls".to_owned(),
        ));
        let store = Arc::clone(&self.shared.store);
        let org_id = self.org_id.to_owned();
        let (loaded, dict) = tokio::task::spawn_blocking(move || {
            store.read(|c| {
                Ok::<_, SyncError>((state::load(c, &org_id)?, call_dicts::latest(c, &org_id)?))
            })
        })
        .await
        .map_err(|e| SyncError::Internal(join_failure(&e)))??;
        if let (Some(stored), RawEncoding::ZstdDictionary(level)) =
            (dict, self.shared.options.raw_encoding)
        {
            match TrainedDict::from_bytes(stored.dict) {
                Ok(d) => self.dict = Some(Arc::new(d.encoder(level))),
                Err(e) => {
                    tracing::warn!(org = self.org_id, error = %e, "unusable call dictionary; training another");
                }
            }
        }
        if let Some(unfinished) = loaded.pass {
            // Its completion sets the watermark from its own (earlier) start, so what changed
            // since then needs the fresh pass below.
            self.run_pass(unfinished).await?;
        }
        let watermark = self.watermark().await?;
        self.run_pass(Pass::new(self.client.server_now(), watermark))
            .await
    }

    async fn watermark(&self) -> Result<Option<DateTime<Utc>>, SyncError> {
        let store = Arc::clone(&self.shared.store);
        let org_id = self.org_id.to_owned();
        let state = tokio::task::spawn_blocking(move || store.read(|c| state::load(c, &org_id)))
            .await
            .map_err(|e| SyncError::Internal(join_failure(&e)))??;
        Ok(state.watermark)
    }

    fn phase(pass: &Pass) -> SyncPhase {
        if pass.is_backfill() {
            SyncPhase::Backfill
        } else {
            SyncPhase::Incremental
        }
    }

    /// Reads every page of the pass, newest createdAt first. See the module docs of `sync`
    /// for why each step is safe.
    async fn run_pass(&mut self, mut pass: Pass) -> Result<(), SyncError> {
        self.stats.backfill |= pass.is_backfill();
        let limit = self.shared.options.limit();
        loop {
            let filter = CallFilter {
                limit: Some(limit),
                updated_at_ge: pass.since,
                created_at_le: pass.cursor,
                ..CallFilter::default()
            };
            let rows = self.fetch(&filter).await?;
            if pass.pages == 0 {
                // The watermark is compared with Vapi's updatedAt, so the pass starts by Vapi's
                // clock, known from the answer just read: with this machine's clock ahead, the
                // calls updated in between would be skipped for good. The earlier of the two
                // is kept (a clock behind only means reading a little more again).
                pass.started_at = pass.started_at.min(self.client.server_now());
            }
            let full = rows.len() >= limit as usize;
            let oldest = rows.iter().map(|r| r.created).min();
            let newest = rows.iter().map(|r| r.created).max();
            match (oldest, newest) {
                (Some(oldest), Some(newest)) if full && oldest == newest => {
                    // A full page of calls created in the same millisecond: paging by
                    // createdAt cannot get past it, so take that instant apart by updatedAt.
                    self.store_page(&mut pass, rows, None).await?;
                    self.walk_instant(&mut pass, oldest).await?;
                    pass.cursor = Some(oldest - TimeDelta::milliseconds(1));
                    self.store_page(&mut pass, Vec::new(), None).await?;
                }
                (Some(oldest), _) if full => {
                    // The next page starts at this page's oldest instant again (createdAtLe):
                    // calls sharing it beyond this page are not skipped, and those already
                    // stored are upserted again.
                    self.store_page(&mut pass, rows, Some(oldest)).await?;
                }
                _ => {
                    let margin = TimeDelta::from_std(self.shared.options.watermark_margin)
                        .unwrap_or(TimeDelta::minutes(2));
                    let watermark = pass.started_at - margin;
                    return self.finish_pass(&mut pass, rows, watermark).await;
                }
            }
        }
    }

    /// Every call created at `instant` (and matching the pass), by splitting the updatedAt
    /// range until each part fits in a page. Calls updated after the walk starts are left to
    /// the next pass, whose watermark predates them.
    async fn walk_instant(
        &mut self,
        pass: &mut Pass,
        instant: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        let limit = self.shared.options.limit();
        let margin = TimeDelta::from_std(self.shared.options.watermark_margin)
            .unwrap_or(TimeDelta::minutes(2));
        let high = self.client.server_now() + margin;
        // A call is updated when it is created or later; the margin allows for clock skew.
        let low = match pass.since {
            Some(since) => since.max(instant - margin),
            None => instant - margin,
        };
        let mut ranges = vec![(low, high)];
        // Calls claiming an update before their creation, should there be any.
        let below = CallFilter {
            limit: Some(limit),
            created_at_ge: Some(instant),
            created_at_le: Some(instant),
            updated_at_ge: pass.since,
            updated_at_lt: Some(low),
            ..CallFilter::default()
        };
        let rows = self.fetch(&below).await?;
        if rows.len() >= limit as usize {
            return Err(self.unpageable(instant, low));
        }
        self.store_page(pass, rows, None).await?;
        while let Some((lo, hi)) = ranges.pop() {
            let filter = CallFilter {
                limit: Some(limit),
                created_at_ge: Some(instant),
                created_at_le: Some(instant),
                updated_at_ge: Some(lo),
                updated_at_le: Some(hi),
                ..CallFilter::default()
            };
            let rows = self.fetch(&filter).await?;
            let full = rows.len() >= limit as usize;
            let mut updates: Vec<_> = rows.iter().map(|r| r.updated).collect();
            updates.sort_unstable();
            let first_updated = updates.first().copied();
            let one_update = updates.first() == updates.last();
            let median = updates.get(updates.len() / 2).copied();
            self.store_page(pass, rows, None).await?;
            if !full {
                continue;
            }
            if hi - lo < TimeDelta::milliseconds(1) {
                return Err(self.unpageable(instant, lo));
            }
            let one_ms = TimeDelta::milliseconds(1);
            match first_updated {
                // A whole page updated in one millisecond (costs settled in bulk): look at that
                // millisecond first, then at both sides of it, rather than halving towards it.
                Some(u) if one_update && lo <= u && u <= hi => {
                    if u > lo {
                        ranges.push((lo, u - one_ms));
                    }
                    if u < hi {
                        ranges.push((u + one_ms, hi));
                    }
                    ranges.push((u, u));
                }
                // Split at the median update of the page just read: its calls are a sample of
                // the range, so both halves usually hold about half, whatever the spread.
                _ => {
                    let mid = median
                        .filter(|m| lo < *m && *m <= hi)
                        .unwrap_or_else(|| lo + (hi - lo) / 2 + one_ms);
                    ranges.push((lo, mid - one_ms));
                    ranges.push((mid, hi));
                }
            }
        }
        Ok(())
    }

    fn unpageable(&self, created: DateTime<Utc>, updated: DateTime<Utc>) -> SyncError {
        SyncError::Unpageable {
            org: self.org_name.to_owned(),
            limit: self.shared.options.limit(),
            created_at: time::format(created),
            updated_at: time::format(updated),
        }
    }

    /// Fetches and checks one page: bounded by the shared permits, retried on transient
    /// failures beyond the client's own retries, abandoned on cancellation.
    async fn fetch(&mut self, filter: &CallFilter) -> Result<Vec<CallRow>, SyncError> {
        let page = self.fetch_raw(filter).await?;
        self.stats.pages += 1;
        let (org_id, org_name) = (self.org_id.to_owned(), self.org_name.to_owned());
        let encoding = self.shared.options.raw_encoding;
        let dict = self.dict.clone();
        let train = dict.is_none() && self.may_train;
        let _parsing = self
            .shared
            .parsers
            .acquire()
            .await
            .map_err(|e| SyncError::Internal(e.to_string()))?;
        let parsed = tokio::task::spawn_blocking(move || {
            let how = match (&dict, train) {
                (Some(d), _) => PageDict::Use(d),
                (None, true) => PageDict::Train,
                (None, false) => PageDict::None,
            };
            parse_page(&org_id, &org_name, &page, encoding, how)
        })
        .await
        .map_err(|e| SyncError::Internal(join_failure(&e)))??;
        match parsed.trained {
            Some(new) => {
                self.dict = Some(new.prepared);
                self.unsaved_dict = Some(CallDict {
                    id: new.dict.id,
                    org_id: self.org_id.to_owned(),
                    samples: new.samples,
                    dict: new.dict.bytes,
                });
            }
            None if train && parsed.rows.len() >= MIN_TRAIN_CALLS => self.may_train = false,
            None => {}
        }
        Ok(parsed.rows)
    }

    async fn fetch_raw(&self, filter: &CallFilter) -> Result<Vec<Box<RawValue>>, SyncError> {
        let cancel = &self.shared.cancel;
        let mut round = 0;
        loop {
            let attempt = async {
                let _permit = self
                    .shared
                    .permits
                    .acquire()
                    .await
                    .map_err(|e| SyncError::Internal(e.to_string()))?;
                self.client
                    .list_calls_raw(filter)
                    .await
                    .map_err(|e| SyncError::vapi(self.org_name, e))
            };
            let result = tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(self.cancelled()),
                result = attempt => result,
            };
            match result {
                Err(e) if e.is_transient() && round < self.shared.options.page_retries => {
                    round += 1;
                    tracing::debug!(org = self.org_id, round, error = %e, "page retried");
                    tokio::select! {
                        () = cancel.cancelled() => return Err(self.cancelled()),
                        () = tokio::time::sleep(self.shared.options.page_retry_delay) => {}
                    }
                }
                other => return other,
            }
        }
    }

    pub fn cancelled(&self) -> SyncError {
        SyncError::Cancelled {
            org: self.org_name.to_owned(),
        }
    }

    /// Hands a page to the writer with the pass state it leads to (`next_cursor`, when given,
    /// moves the cursor), after the previous page is confirmed.
    async fn store_page(
        &mut self,
        pass: &mut Pass,
        rows: Vec<CallRow>,
        next_cursor: Option<DateTime<Utc>>,
    ) -> Result<(), SyncError> {
        pass.pages += 1;
        pass.calls += rows.len() as u64;
        if let Some(cursor) = next_cursor {
            pass.cursor = Some(cursor);
        }
        let progress = self.event(
            Self::phase(pass),
            Some(pass),
            format!("{} calls stored", pass.calls),
        );
        self.send(rows, StateChange::Progress(pass.clone()), progress)
            .await
    }

    async fn finish_pass(
        &mut self,
        pass: &mut Pass,
        rows: Vec<CallRow>,
        watermark: DateTime<Utc>,
    ) -> Result<(), SyncError> {
        pass.pages += 1;
        pass.calls += rows.len() as u64;
        let progress = self.event(
            Self::phase(pass),
            Some(pass),
            format!("{} calls stored; pass complete", pass.calls),
        );
        self.send(rows, StateChange::Complete { watermark }, progress)
            .await?;
        self.flush().await
    }

    async fn send(
        &mut self,
        rows: Vec<CallRow>,
        state: StateChange,
        progress: SyncProgress,
    ) -> Result<(), SyncError> {
        while self.pending.len() >= PAGES_AHEAD {
            self.confirm_oldest().await?;
        }
        let (ack, confirmed) = oneshot::channel();
        let calls = rows.len() as u64;
        let job = WriteJob {
            org_id: self.org_id.to_owned(),
            org_name: self.org_name.to_owned(),
            // Rows compressed with a new dictionary are in this page or later ones.
            dict: self.unsaved_dict.take(),
            rows,
            state,
            progress,
            ack,
        };
        self.shared
            .writer
            .send(job)
            .await
            .map_err(|_| SyncError::Internal("the database writer stopped".to_owned()))?;
        self.pending.push_back((confirmed, calls));
        Ok(())
    }

    /// Waits until every page handed to the writer is committed (or one failed).
    async fn flush(&mut self) -> Result<(), SyncError> {
        while !self.pending.is_empty() {
            self.confirm_oldest().await?;
        }
        Ok(())
    }

    async fn confirm_oldest(&mut self) -> Result<(), SyncError> {
        let Some((confirmed, calls)) = self.pending.pop_front() else {
            return Ok(());
        };
        confirmed
            .await
            .map_err(|_| SyncError::Internal("the database writer stopped".to_owned()))??;
        self.stats.calls += calls;
        Ok(())
    }
}
