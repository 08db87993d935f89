//! Call syncs started from the window. A sync runs in the background (the command that starts it
//! returns at once); this registry knows which orgs are syncing, their latest progress (so a
//! screen opened mid-sync shows where it is), and how to cancel them.
//!
//! Rules:
//! - An org syncs at most once at a time: starting a sync of an org that is already syncing
//!   returns the running one instead of starting another.
//! - A run belongs to the agency that started it. It holds only a weak reference to the agency,
//!   so closing the agency (or leaving the demo) is noticed and cancels the run; until then the
//!   database stays consistent and the next sync resumes where it stopped.
//!
//! - After a run that synced an org, this month's spend thresholds are checked (core records
//!   which alerts are new) and the result leaves as a `SpendAlerts` event.
//!
//! The registry knows core's `Agency` only, not the app state that owns both, so it can be driven
//! without a window. Events leave through an [`EventSink`], which the Tauri command turns into
//! `Emitter::emit` calls (see `commands::sync`) and tests into a list.

mod alerts;
mod events;
mod job;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use agencydesk_core::agency::Agency;
use agencydesk_core::error::CoreError;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use agencydesk_core::store::sync_state;
use agencydesk_core::sync::{CancellationToken, ProgressSink, SyncOptions, SyncProgress};

pub use events::{EventSink, OrgSyncStatus, SyncEvent, SyncEventName, SyncFinished, SyncStarted};

struct ActiveRun {
    id: u64,
    agency: Weak<Agency>,
    cancel: CancellationToken,
    /// Org id -> latest event (none before the org's first).
    orgs: BTreeMap<String, Option<SyncProgress>>,
}

impl ActiveRun {
    fn of(&self, agency: &Arc<Agency>) -> bool {
        std::ptr::eq(self.agency.as_ptr(), Arc::as_ptr(agency))
    }

    /// Whether this run is still working on the org (in it, and its final event not yet sent).
    /// A run of several orgs goes on after some of them are done.
    fn syncs(&self, org_id: &str) -> bool {
        self.orgs
            .get(org_id)
            .is_some_and(|latest| !latest.as_ref().is_some_and(|e| e.phase.is_final()))
    }
}

#[derive(Default)]
struct Runs {
    next_id: u64,
    active: Vec<ActiveRun>,
}

/// The app's background syncs. Cheap to clone (shared registry).
#[derive(Clone, Default)]
pub struct SyncRuns {
    runs: Arc<Mutex<Runs>>,
}

impl std::fmt::Debug for SyncRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncRuns")
            .field("active", &self.lock().active.len())
            .finish()
    }
}

impl SyncRuns {
    fn lock(&self) -> MutexGuard<'_, Runs> {
        // Every critical section only edits plain maps; a panic cannot leave them half-changed
        // in a way that matters more than a stale progress line.
        self.runs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts syncing one org (`Some(id)`, any kind) or every client org that has a key
    /// (`None`), in the background. Orgs already syncing are left to their run. Fails only
    /// for an unknown org or an unreadable database; per-org failures arrive as events.
    pub async fn start(
        &self,
        agency: &Arc<Agency>,
        org_id: Option<&str>,
        options: SyncOptions,
        events: EventSink,
    ) -> Result<SyncStarted, CoreError> {
        let wanted: Vec<(String, String)> = match org_id {
            Some(id) => {
                let org = agency.get_client(id)?;
                vec![(org.id, org.name)]
            }
            None => agency
                .list_clients()?
                .into_iter()
                // The same orgs core's `Agency::sync_calls(None)` picks.
                .filter(|c| c.kind == OrgKind::Client && c.status != OrgStatus::PendingKey)
                .map(|c| (c.id, c.name))
                .collect(),
        };
        let (run_id, cancel, chosen, already_running) = {
            let mut runs = self.lock();
            let busy = |id: &str| runs.active.iter().any(|r| r.of(agency) && r.syncs(id));
            let (already, chosen): (Vec<_>, Vec<_>) =
                wanted.into_iter().partition(|(id, _)| busy(id));
            let already_running: Vec<String> = already.into_iter().map(|(id, _)| id).collect();
            if chosen.is_empty() {
                return Ok(SyncStarted {
                    run_id: None,
                    org_ids: Vec::new(),
                    already_running,
                });
            }
            runs.next_id += 1;
            let id = runs.next_id;
            let cancel = CancellationToken::new();
            runs.active.push(ActiveRun {
                id,
                agency: Arc::downgrade(agency),
                cancel: cancel.clone(),
                orgs: chosen.iter().map(|(id, _)| (id.clone(), None)).collect(),
            });
            (id, cancel, chosen, already_running)
        };
        let org_ids = chosen.iter().map(|(id, _)| id.clone()).collect();
        let sink: ProgressSink = {
            let runs = self.clone();
            let events = Arc::clone(&events);
            Arc::new(move |event: SyncProgress| {
                runs.record(run_id, &event);
                events(SyncEvent::Progress(event));
            })
        };
        let runs = self.clone();
        let agency = Arc::downgrade(agency);
        tokio::spawn(async move {
            let report = job::run(Weak::clone(&agency), chosen, options, sink, cancel).await;
            if let Some(check) = alerts::after_run(&agency, &report).await {
                events(SyncEvent::SpendAlerts(check));
            }
            runs.remove(run_id);
            events(SyncEvent::Finished(SyncFinished { run_id, report }));
        });
        Ok(SyncStarted {
            run_id: Some(run_id),
            org_ids,
            already_running,
        })
    }

    /// Cancels the runs of this agency still syncing `org_id` (or every run, for `None`). A
    /// run covering several orgs stops as a whole. Returns how many runs were asked to stop; each
    /// ends after the page it is on, then reports `cancelled`.
    pub fn cancel(&self, agency: &Arc<Agency>, org_id: Option<&str>) -> usize {
        let runs = self.lock();
        let mut cancelled = 0;
        for run in runs.active.iter().filter(|r| r.of(agency)) {
            if org_id.is_none_or(|id| run.syncs(id)) && !run.cancel.is_cancelled() {
                run.cancel.cancel();
                cancelled += 1;
            }
        }
        cancelled
    }

    /// Whether any org of this agency is syncing.
    pub fn is_running(&self, agency: &Arc<Agency>) -> bool {
        self.lock().active.iter().any(|r| r.of(agency))
    }

    /// Every org of the agency with its last sync and, if syncing, its latest progress.
    pub fn status(&self, agency: &Arc<Agency>) -> Result<Vec<OrgSyncStatus>, CoreError> {
        let orgs = agency.list_clients()?;
        let store = agency.store();
        let mut statuses = Vec::with_capacity(orgs.len());
        for org in orgs {
            let saved = store
                .read(|c| sync_state::get(c, &org.id))
                .map_err(CoreError::from)?;
            let (last_sync_at, last_error) =
                saved.map_or((None, None), |s| (s.last_sync_at, s.last_error));
            statuses.push(OrgSyncStatus {
                org_id: org.id,
                last_sync_at,
                last_error,
                running: false,
                progress: None,
            });
        }
        let runs = self.lock();
        for status in &mut statuses {
            let mine = runs.active.iter().filter(|r| r.of(agency));
            // A run still at work on the org wins over one that already finished it.
            let latest = mine
                .clone()
                .find(|r| r.syncs(&status.org_id))
                .or_else(|| mine.clone().find(|r| r.orgs.contains_key(&status.org_id)))
                .and_then(|r| r.orgs.get(&status.org_id));
            if let Some(latest) = latest {
                status.running = !latest.as_ref().is_some_and(|e| e.phase.is_final());
                status.progress = latest.clone();
            }
        }
        Ok(statuses)
    }

    fn record(&self, run_id: u64, event: &SyncProgress) {
        let mut runs = self.lock();
        if let Some(latest) = runs
            .active
            .iter_mut()
            .find(|r| r.id == run_id)
            .and_then(|r| r.orgs.get_mut(&event.org_id))
        {
            *latest = Some(event.clone());
        }
    }

    fn remove(&self, run_id: u64) {
        self.lock().active.retain(|r| r.id != run_id);
    }
}
