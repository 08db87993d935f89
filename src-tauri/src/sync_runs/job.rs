//! One background run, from building the orgs' clients to the final event.

use std::sync::{Arc, Weak};
use std::time::Duration;

use agencydesk_core::agency::Agency;
use agencydesk_core::sync::{
    sync_calls, CancellationToken, ProgressSink, SyncOptions, SyncProgress, SyncReport, SyncTarget,
};

use super::events::{EventSink, SyncEvent, SyncFinished};
use super::SyncRuns;

/// How often a run checks that the agency it belongs to is still open.
const AGENCY_CHECK: Duration = Duration::from_millis(500);

pub(super) struct Job {
    pub runs: SyncRuns,
    pub run_id: u64,
    pub agency: Weak<Agency>,
    /// Org id and name, in the order to sync.
    pub orgs: Vec<(String, String)>,
    pub options: SyncOptions,
    pub cancel: CancellationToken,
    pub events: EventSink,
}

impl Job {
    pub async fn run(self) {
        let Job {
            runs,
            run_id,
            agency,
            orgs,
            options,
            cancel,
            events,
        } = self;
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
        let report = match prepared {
            Some((store, targets)) => {
                let sink: ProgressSink = {
                    let runs = runs.clone();
                    let events = Arc::clone(&events);
                    Arc::new(move |event: SyncProgress| {
                        runs.record(run_id, &event);
                        events(SyncEvent::Progress(event));
                    })
                };
                let watch = tokio::spawn(cancel_when_closed(agency, cancel.clone()));
                let report = sync_calls(store, targets, &options, sink, cancel.clone()).await;
                watch.abort();
                report
            }
            // Closed before the run began: nothing was read or written.
            None => SyncReport {
                orgs: Vec::new(),
                elapsed_ms: 0,
            },
        };
        runs.remove(run_id);
        events(SyncEvent::Finished(SyncFinished { run_id, report }));
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
