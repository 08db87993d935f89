//! Runs the sync of several orgs at once and reports on each.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::CancellationToken;

use super::error::SyncError;
use super::options::SyncOptions;
use super::org::{parse_slots, OrgSync, RunStats, Shared, PAGES_AHEAD};
use super::progress::{OrgSyncSummary, ProgressSink, SyncOutcome, SyncPhase, SyncReport};
use super::state;
use super::writer;
use crate::blocking::join_failure;
use crate::error::{CoreError, ErrorPayload};
use crate::store::clients::{self, OrgStatus};
use crate::store::lock::{LockMode, LockName};
use crate::store::{time, Store};
use crate::vapi::VapiClient;

/// An org to sync. `client` is the org's Vapi client, or why none could be made (no key in the
/// keychain, key not linked yet): that org is then reported as failed without asking Vapi.
#[derive(Debug)]
pub struct SyncTarget {
    pub org_id: String,
    pub org_name: String,
    pub client: Result<VapiClient, CoreError>,
}

/// Syncs the calls of every target into `store`, `options.max_in_flight` requests at a time
/// over all orgs. Never fails as a whole: each org's outcome is in the report, and an org that
/// fails (revoked key, outage) does not stop the others. Cancelling `cancel` stops every org
/// after the page it is on; the database stays consistent and the next sync resumes.
/// The orgs must exist in `client_orgs`.
pub async fn sync_calls(
    store: Arc<Store>,
    targets: Vec<SyncTarget>,
    options: &SyncOptions,
    progress: ProgressSink,
    cancel: CancellationToken,
) -> SyncReport {
    let started = Instant::now();
    // Two tasks on one org would fight over its pass state: the first mention wins.
    let mut seen = std::collections::HashSet::new();
    let targets: Vec<SyncTarget> = targets
        .into_iter()
        .filter(|t| seen.insert(t.org_id.clone()))
        .collect();
    // Room for the pages the orgs may hand over ([`PAGES_AHEAD`] each), but for at most 48
    // pages (~70 MB of parsed calls) however many orgs sync: fetching runs ahead of the writer
    // by a few pages, not by the whole history.
    let (jobs, queue) = mpsc::channel((targets.len() * PAGES_AHEAD).clamp(1, 48));
    let writer = {
        let store = Arc::clone(&store);
        let progress = Arc::clone(&progress);
        let max_rows = options.write_batch_rows.max(1);
        tokio::task::spawn_blocking(move || writer::run(store, queue, max_rows, progress))
    };
    let shared = Arc::new(Shared {
        store,
        options: options.clone(),
        permits: Semaphore::new(options.max_in_flight.max(1)),
        parsers: Semaphore::new(parse_slots()),
        writer: jobs,
        progress,
        cancel,
    });
    let tasks: Vec<_> = targets
        .into_iter()
        .map(|target| {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move { sync_org(&shared, target).await })
        })
        .collect();
    let mut orgs = Vec::with_capacity(tasks.len());
    for task in tasks {
        match task.await {
            Ok(summary) => orgs.push(summary),
            Err(e) => tracing::error!(
                error = join_failure(&e),
                "an org's sync task ended abnormally"
            ),
        }
    }
    // The writer ends once the last sender (in `shared`) is gone.
    drop(shared);
    if let Err(e) = writer.await {
        tracing::error!(
            error = join_failure(&e),
            "the sync's database writer ended abnormally"
        );
    }
    SyncReport {
        orgs,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

async fn sync_org(shared: &Shared, target: SyncTarget) -> OrgSyncSummary {
    let SyncTarget {
        org_id,
        org_name,
        client,
    } = target;
    // Never two syncs of one org at once, in this process or another: the org's sync lock is
    // held until its summary is written.
    let lock = shared.store.data_lock(
        &LockName::Sync {
            org_id: org_id.clone(),
        },
        LockMode::Exclusive,
        Duration::ZERO,
        Some(&org_name),
    );
    let (_lock, client) = match lock {
        Ok(held) => (held, Ok(client)),
        Err(busy) => (None, Err(busy)),
    };
    let (result, stats) = match client {
        Err(busy) => (Err(SyncError::Busy(busy)), RunStats::default()),
        Ok(Ok(client)) => {
            let mut org = OrgSync::new(shared, &org_id, &org_name, &client);
            let result = if shared.cancel.is_cancelled() {
                Err(org.cancelled())
            } else {
                org.run().await
            };
            (result, std::mem::take(&mut org.stats))
        }
        Ok(Err(e)) => (Err(SyncError::core(&org_name, e)), RunStats::default()),
    };
    let store = Arc::clone(&shared.store);
    let id = org_id.clone();
    // A busy org's state belongs to the process syncing it: nothing is recorded here.
    let failure = result
        .as_ref()
        .err()
        .filter(|e| !matches!(e, SyncError::Busy(_)))
        .map(|e| (e.to_string(), e.is_key_rejected()));
    // Bookkeeping on a blocking thread: the store's lock may be held by a write batch.
    let after = tokio::task::spawn_blocking(move || {
        if let Some((message, key_rejected)) = &failure {
            store.write(|tx| {
                state::record_error(tx, &id, message)?;
                if *key_rejected {
                    clients::set_status(tx, &id, OrgStatus::KeyRejected, &time::now())?;
                }
                Ok::<_, crate::store::StoreError>(())
            })?;
        }
        let cached = store.read(|c| state::cached_calls(c, &id))?;
        let watermark = store.read(|c| state::load(c, &id))?.watermark;
        Ok::<_, crate::store::StoreError>((cached, watermark))
    })
    .await;
    let (cached_calls, watermark) = match after {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => {
            tracing::warn!(org_id, error = %e, "could not read the org's sync state");
            (0, None)
        }
        Err(e) => {
            tracing::warn!(
                org_id,
                error = join_failure(&e),
                "could not read the org's sync state"
            );
            (0, None)
        }
    };
    let (outcome, phase, message, error) = match &result {
        Ok(()) => (
            SyncOutcome::Done,
            SyncPhase::Done,
            format!("Up to date: {cached_calls} calls cached"),
            None,
        ),
        Err(SyncError::Cancelled { .. }) => (
            SyncOutcome::Cancelled,
            SyncPhase::Cancelled,
            "Cancelled; the next sync continues from here".to_owned(),
            None,
        ),
        Err(e) => (
            SyncOutcome::Failed,
            SyncPhase::Failed,
            e.to_string(),
            Some(ErrorPayload::from(e)),
        ),
    };
    (shared.progress)(super::progress::SyncProgress {
        org_id: org_id.clone(),
        org_name: org_name.clone(),
        phase,
        pages: stats.pages,
        calls: stats.calls,
        reached: None,
        message,
    });
    OrgSyncSummary {
        org_id,
        org_name,
        outcome,
        backfill: stats.backfill,
        pages: stats.pages,
        calls: stats.calls,
        cached_calls,
        watermark: watermark.map(time::format),
        error,
    }
}
