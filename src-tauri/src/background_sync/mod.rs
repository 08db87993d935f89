//! Background sync while the window is open: every N minutes (Settings, default 15) an
//! incremental sync of every linked org, through the same registry as "Sync now" (so never two
//! syncs of an org at once) and quietly: no dialog, and a failure (offline, Vapi down) is
//! reported once until a sync succeeds again. The decisions are core's [`BackgroundSchedule`];
//! this drives it with a clock and the registry, and [`spawn`] ticks it in the app.

mod status;

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use agencydesk_core::agency::{Agency, DEFAULT_BACKGROUND_SYNC_MINUTES};
use agencydesk_core::error::CoreError;
use agencydesk_core::store::time;
use agencydesk_core::sync::{BackgroundSchedule, SyncOptions, SyncReport, Tick};
use tokio::sync::oneshot;

use crate::sync_runs::{EventSink, SyncEvent, SyncRuns};

pub use status::BackgroundSyncStatus;

/// How often the app asks the schedule whether a sync is due.
pub const TICK: Duration = Duration::from_secs(30);

struct Inner {
    schedule: BackgroundSchedule,
    /// The agency the schedule belongs to: another one (demo left, real opened) starts afresh.
    agency: Weak<Agency>,
    last_run_at: Option<String>,
    error: Option<String>,
}

/// What a tick did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TickOutcome {
    Waited,
    /// A background sync ran; `new_error` is the failure to show (the first of an outage).
    Synced {
        new_error: Option<String>,
    },
}

/// The app's background sync state. One per app.
pub struct BackgroundSync {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for BackgroundSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundSync").finish_non_exhaustive()
    }
}

impl Default for BackgroundSync {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                schedule: BackgroundSchedule::new(
                    minutes(DEFAULT_BACKGROUND_SYNC_MINUTES),
                    Duration::ZERO,
                ),
                agency: Weak::new(),
                last_run_at: None,
                error: None,
            }),
        }
    }
}

fn minutes(m: u32) -> Duration {
    Duration::from_secs(u64::from(m) * 60)
}

/// Why a run failed, in one line, or `Ok` when every org synced (or was cancelled).
fn outcome_of(report: &SyncReport) -> Result<(), String> {
    let failures: Vec<String> = report
        .failed()
        .map(|o| match &o.error {
            Some(e) => e.message.clone(),
            None => format!("{}: the sync failed", o.org_name),
        })
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

impl BackgroundSync {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Plain fields only: a panic elsewhere cannot leave them in a state worse than stale.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What the sidebar shows for `agency`: the interval as saved (a new one applies from the
    /// next tick), and the last background run and failure if they were this agency's.
    pub fn status(&self, agency: &Arc<Agency>) -> Result<BackgroundSyncStatus, CoreError> {
        let interval_minutes = agency.settings()?.background_sync_minutes;
        let inner = self.lock();
        let same = std::ptr::eq(inner.agency.as_ptr(), Arc::as_ptr(agency));
        Ok(BackgroundSyncStatus {
            interval_minutes,
            last_run_at: inner.last_run_at.clone().filter(|_| same),
            error: inner.error.clone().filter(|_| same),
        })
    }

    /// One tick at `now` (time since the app started): starts a sync of every linked org of
    /// `agency` through `runs` when one is due, and waits for it to end. `events` gets the run's
    /// events as "Sync now" would send them. The agency is held only until the run has started.
    pub async fn tick(
        &self,
        now: Duration,
        agency: Arc<Agency>,
        runs: &SyncRuns,
        options: SyncOptions,
        events: EventSink,
    ) -> TickOutcome {
        let interval = match agency.settings() {
            Ok(s) => minutes(s.background_sync_minutes),
            Err(e) => {
                tracing::warn!(error = %e, "background sync: the settings could not be read");
                return TickOutcome::Waited;
            }
        };
        let busy = runs.is_running(&agency);
        let decision = {
            let mut inner = self.lock();
            if !std::ptr::eq(inner.agency.as_ptr(), Arc::as_ptr(&agency)) {
                *inner = Inner {
                    schedule: BackgroundSchedule::new(interval, now),
                    agency: Arc::downgrade(&agency),
                    last_run_at: None,
                    error: None,
                };
            }
            inner.schedule.set_interval(interval);
            inner.schedule.tick(now, busy)
        };
        if decision == Tick::Wait {
            return TickOutcome::Waited;
        }
        let (done_tx, done_rx) = oneshot::channel();
        let done_tx = Mutex::new(Some(done_tx));
        let sink: EventSink = Arc::new(move |event: SyncEvent| {
            if let SyncEvent::Finished(finished) = &event {
                let sender = done_tx.lock().unwrap_or_else(|p| p.into_inner()).take();
                if let Some(sender) = sender {
                    let _ = sender.send(finished.report.clone());
                }
            }
            events(event);
        });
        let started = runs.start(&agency, None, options, sink).await;
        drop(agency);
        let outcome = match started {
            Ok(started) if started.run_id.is_some() => match done_rx.await {
                Ok(report) => outcome_of(&report),
                Err(_) => Err("the background sync stopped without a report".to_owned()),
            },
            // Nothing to sync (no linked org), or another run took every org meanwhile.
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        };
        let mut inner = self.lock();
        let new_error = inner.schedule.finished(outcome.clone());
        inner.last_run_at = Some(time::now());
        inner.error = match outcome {
            Ok(()) => None,
            Err(why) => Some(
                new_error
                    .clone()
                    .or_else(|| inner.error.clone())
                    .unwrap_or(why),
            ),
        };
        TickOutcome::Synced { new_error }
    }
}
