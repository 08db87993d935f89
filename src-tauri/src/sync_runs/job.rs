//! The work of one background run, from building the orgs' clients to the report. Knows
//! nothing of the registry: progress leaves through the sink it is given.

use std::sync::{Arc, Weak};
use std::time::Duration;

use agencydesk_core::agency::Agency;
use agencydesk_core::recordings::no_archive_progress;
use agencydesk_core::sync::{
    sync_calls, CancellationToken, ProgressSink, SyncOptions, SyncReport, SyncTarget,
};

/// How often a run checks that the agency it belongs to is still open.
const AGENCY_CHECK: Duration = Duration::from_millis(500);

/// Syncs `orgs` (id and name, in order) of `agency`, cancelled by `cancel` or by the agency
/// closing.
pub(super) async fn run(
    agency: Weak<Agency>,
    orgs: Vec<(String, String)>,
    options: SyncOptions,
    sink: ProgressSink,
    cancel: CancellationToken,
) -> SyncReport {
    // The agency is held only while the keys are read, so closing it is never delayed by a
    // long sync.
    let prepared = match agency.upgrade() {
        Some(open) => {
            let mut targets = Vec::with_capacity(orgs.len());
            for (org_id, org_name) in orgs {
                targets.push(SyncTarget {
                    client: open.client_for(&org_id).await,
                    org_id,
                    org_name,
                });
            }
            Some((Arc::clone(open.store()), targets))
        }
        None => None,
    };
    let Some((store, targets)) = prepared else {
        // Closed before the run began: nothing was read or written.
        return SyncReport {
            orgs: Vec::new(),
            elapsed_ms: 0,
        };
    };
    let watch = tokio::spawn(cancel_when_closed(agency.clone(), cancel.clone()));
    let report = sync_calls(store, targets, &options, sink, cancel.clone()).await;
    if !cancel.is_cancelled() {
        after_sync(&agency, cancel).await;
    }
    watch.abort();
    report
}

/// Core's step after every sync (the CLI's `sync` runs the same): retention remembered, new
/// recordings archived when the setting is on. Its failures are logged, not the sync's.
async fn after_sync(agency: &Weak<Agency>, cancel: CancellationToken) {
    let Some(open) = agency.upgrade() else {
        return;
    };
    match open.after_sync(no_archive_progress(), cancel).await {
        Ok(report) => tracing::info!(
            retention_read = report.retention_read,
            archived = report.archive.as_ref().map_or(0, |a| a.progress.archived),
            "after the sync"
        ),
        Err(e) => tracing::warn!(error = %e, "the step after the sync failed"),
    }
}

/// Cancels the run once its agency is gone (agency closed, demo left).
async fn cancel_when_closed(agency: Weak<Agency>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(AGENCY_CHECK) => {
                if agency.strong_count() == 0 {
                    tracing::info!("the agency was closed during a sync: cancelling it");
                    cancel.cancel();
                    return;
                }
            }
        }
    }
}
