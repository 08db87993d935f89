//! What a sync tells while it runs (one [`SyncProgress`] event at a time) and when it ends
//! ([`SyncReport`]). The app forwards the events to the UI as they come; the CLI draws them.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::error::ErrorPayload;

/// Where an org's sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SyncPhase {
    /// Getting ready: reading the org's state, asking for the first page.
    Listing,
    /// Reading the org's whole call history (its first sync, or one that was interrupted).
    Backfill,
    /// Reading calls created or updated since the last completed sync.
    Incremental,
    Done,
    Failed,
    Cancelled,
}

impl SyncPhase {
    /// Whether the org's sync is over.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SyncPhase::Done | SyncPhase::Failed | SyncPhase::Cancelled
        )
    }
}

/// One step of one org's sync. While a pass runs, `pages` and `calls` count what is stored
/// (committed) in that pass, including what an interrupted earlier run of it stored; the final
/// event of the org (done, failed, cancelled) carries this run's totals instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SyncProgress {
    pub org_id: String,
    pub org_name: String,
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub pages: u64,
    #[ts(type = "number")]
    pub calls: u64,
    /// `createdAt` the pass has read back to (it reads newest first): lets a progress bar
    /// show how far into the history a backfill is.
    pub reached: Option<String>,
    /// A sentence for the person watching: what is happening, or what went wrong.
    pub message: String,
}

/// How an org's sync ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SyncOutcome {
    /// Every pass completed: the cache holds what Vapi held when the sync started.
    Done,
    Failed,
    /// Stopped on request; the next sync resumes where this one stopped.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OrgSyncSummary {
    pub org_id: String,
    pub org_name: String,
    pub outcome: SyncOutcome,
    /// Whether the org's whole history was read (first sync, or a resumed one) rather than
    /// only what changed.
    pub backfill: bool,
    /// Pages fetched and calls stored by this run (re-read calls included).
    #[ts(type = "number")]
    pub pages: u64,
    #[ts(type = "number")]
    pub calls: u64,
    /// Calls of this org in the cache after the run.
    #[ts(type = "number")]
    pub cached_calls: u64,
    /// The next sync asks for calls updated since this time.
    pub watermark: Option<String>,
    pub error: Option<ErrorPayload>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SyncReport {
    pub orgs: Vec<OrgSyncSummary>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

impl SyncReport {
    pub fn all_done(&self) -> bool {
        self.orgs.iter().all(|o| o.outcome == SyncOutcome::Done)
    }

    pub fn failed(&self) -> impl Iterator<Item = &OrgSyncSummary> {
        self.orgs
            .iter()
            .filter(|o| o.outcome == SyncOutcome::Failed)
    }

    pub fn was_cancelled(&self) -> bool {
        self.orgs
            .iter()
            .any(|o| o.outcome == SyncOutcome::Cancelled)
    }
}

/// Where progress events go. Called from the sync's tasks and its writer thread, so it must be
/// quick (forward the event, do not render in it).
pub type ProgressSink = Arc<dyn Fn(SyncProgress) + Send + Sync>;

/// A sink that drops every event.
pub fn no_progress() -> ProgressSink {
    Arc::new(|_| {})
}
