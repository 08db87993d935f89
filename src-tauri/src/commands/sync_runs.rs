//! Call syncs started from the window. A sync runs in the background (the command that starts it
//! returns at once); this registry knows which orgs are syncing, their latest progress (so a
//! screen opened mid-sync shows where it is), and how to cancel them.
//!
//! Rules:
//! - An org syncs at most once at a time: starting a sync of an org that is already syncing
//!   returns the running one instead of starting another.
//! - A run belongs to the session that started it. It holds only a weak reference to the session,
//!   so closing the agency (or leaving the demo) is noticed and cancels the run; until then the
//!   database stays consistent and the next sync resumes where it stopped.
//!
//! Events leave through an [`EventSink`], which the Tauri command turns into `Emitter::emit`
//! calls (see `commands::sync`) and tests into a list.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use agencydesk_core::store::sync_state;
use agencydesk_core::sync::{
    sync_calls, CancellationToken, ProgressSink, SyncOptions, SyncProgress, SyncReport, SyncTarget,
};
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::Session;

/// How often a run checks that the session it belongs to is still open.
const SESSION_CHECK: Duration = Duration::from_millis(500);

/// What a background sync reports while it runs and when it ends.
#[derive(Debug, Clone)]
pub enum SyncEvent {
    Progress(SyncProgress),
    Finished(SyncFinished),
}

/// Where [`SyncEvent`]s go. Called from the sync's tasks: forward, do not block.
pub type EventSink = Arc<dyn Fn(SyncEvent) + Send + Sync>;

/// A run has ended (every org done, failed or cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SyncFinished {
    #[ts(type = "number")]
    pub run_id: u64,
    pub report: SyncReport,
}

/// The answer to "sync these orgs".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SyncStarted {
    /// The new run; `None` when there was nothing new to start.
    #[ts(type = "number | null")]
    pub run_id: Option<u64>,
    /// Orgs this run syncs.
    pub org_ids: Vec<String>,
    /// Orgs asked for that were already syncing in an earlier run (left to it).
    pub already_running: Vec<String>,
}

/// One org's sync, as the clients list and the client page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OrgSyncStatus {
    pub org_id: String,
    /// When the org's last complete sync ended.
    pub last_sync_at: Option<String>,
    /// Why the org's last sync failed, if it did (cleared by the next complete sync).
    pub last_error: Option<String>,
    pub running: bool,
    /// The latest event of the running sync; `None` when not running or before its first event.
    pub progress: Option<SyncProgress>,
}

struct ActiveRun {
    id: u64,
    session: Weak<Session>,
    cancel: CancellationToken,
    /// Org id -> latest event (none before the org's first).
    orgs: BTreeMap<String, Option<SyncProgress>>,
}

impl ActiveRun {
    fn of_session(&self, session: &Arc<Session>) -> bool {
        Weak::ptr_eq(&self.session, &Arc::downgrade(session))
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
        session: &Arc<Session>,
        org_id: Option<&str>,
        options: SyncOptions,
        events: EventSink,
    ) -> Result<SyncStarted, AppError> {
        let wanted: Vec<(String, String)> = match org_id {
            Some(id) => {
                let org = session.agency.get_client(id)?;
                vec![(org.id, org.name)]
            }
            None => session
                .agency
                .list_clients()?
                .into_iter()
                // The same orgs core's `Agency::sync_calls(None)` picks.
                .filter(|c| c.kind == OrgKind::Client && c.status != OrgStatus::PendingKey)
                .map(|c| (c.id, c.name))
                .collect(),
        };
        let (run_id, cancel, chosen, already_running) = {
            let mut runs = self.lock();
            let busy = |id: &str| {
                runs.active
                    .iter()
                    .any(|r| r.of_session(session) && r.syncs(id))
            };
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
                session: Arc::downgrade(session),
                cancel: cancel.clone(),
                orgs: chosen.iter().map(|(id, _)| (id.clone(), None)).collect(),
            });
            (id, cancel, chosen, already_running)
        };
        let org_ids = chosen.iter().map(|(id, _)| id.clone()).collect();
        let job = Job {
            runs: self.clone(),
            run_id,
            session: Arc::downgrade(session),
            orgs: chosen,
            options,
            cancel,
            events,
        };
        tokio::spawn(job.run());
        Ok(SyncStarted {
            run_id: Some(run_id),
            org_ids,
            already_running,
        })
    }

    /// Cancels the runs of this session still syncing `org_id` (or every run, for `None`). A
    /// run covering several orgs stops as a whole. Returns how many runs were asked to stop; each
    /// ends after the page it is on, then reports `cancelled`.
    pub fn cancel(&self, session: &Arc<Session>, org_id: Option<&str>) -> usize {
        let runs = self.lock();
        let mut cancelled = 0;
        for run in runs.active.iter().filter(|r| r.of_session(session)) {
            if org_id.is_none_or(|id| run.syncs(id)) && !run.cancel.is_cancelled() {
                run.cancel.cancel();
                cancelled += 1;
            }
        }
        cancelled
    }

    /// Whether any org of this session is syncing.
    pub fn is_running(&self, session: &Arc<Session>) -> bool {
        self.lock().active.iter().any(|r| r.of_session(session))
    }

    /// Every org of the session with its last sync and, if syncing, its latest progress.
    pub fn status(&self, session: &Arc<Session>) -> Result<Vec<OrgSyncStatus>, AppError> {
        let orgs = session.agency.list_clients()?;
        let store = session.agency.store();
        let mut statuses = Vec::with_capacity(orgs.len());
        for org in orgs {
            let saved = store
                .read(|c| sync_state::get(c, &org.id))
                .map_err(agencydesk_core::error::CoreError::from)?;
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
            let mine = runs.active.iter().filter(|r| r.of_session(session));
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

/// One background run, from building the orgs' clients to the final event.
struct Job {
    runs: SyncRuns,
    run_id: u64,
    session: Weak<Session>,
    orgs: Vec<(String, String)>,
    options: SyncOptions,
    cancel: CancellationToken,
    events: EventSink,
}

impl Job {
    async fn run(self) {
        let Job {
            runs,
            run_id,
            session,
            orgs,
            options,
            cancel,
            events,
        } = self;
        // The session is held only while the keys are read, so closing it is never delayed
        // by a long sync.
        let prepared = match session.upgrade() {
            Some(open) => {
                let mut targets = Vec::with_capacity(orgs.len());
                for (org_id, org_name) in orgs {
                    targets.push(SyncTarget {
                        client: open.agency.client_for(&org_id).await,
                        org_id,
                        org_name,
                    });
                }
                Some((Arc::clone(open.agency.store()), targets))
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
                let watch = tokio::spawn(cancel_when_closed(session, cancel.clone()));
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

/// Cancels the run once its session is gone (agency closed, demo left).
async fn cancel_when_closed(session: Weak<Session>, cancel: CancellationToken) {
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(SESSION_CHECK) => {
                if session.strong_count() == 0 {
                    tracing::info!("the agency was closed during a sync: cancelling it");
                    cancel.cancel();
                    return;
                }
            }
        }
    }
}
