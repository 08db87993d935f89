//! What a background sync tells the window: the events it emits (and their names), and the
//! answers of the sync commands. The UI reads these through the generated TypeScript types.

use std::sync::Arc;

use agencydesk_core::billing::AlertCheck;
use agencydesk_core::sync::{SyncProgress, SyncReport};
use serde::Serialize;
use ts_rs::TS;

/// What a background sync reports while it runs and when it ends.
#[derive(Debug, Clone)]
pub enum SyncEvent {
    Progress(SyncProgress),
    /// This month's spend alerts, checked after a run that synced at least one org (only
    /// when thresholds are set); sent just before `Finished`.
    SpendAlerts(AlertCheck),
    Finished(SyncFinished),
}

impl SyncEvent {
    /// The name the window listens for.
    pub const fn name(&self) -> SyncEventName {
        match self {
            SyncEvent::Progress(_) => SyncEventName::Progress,
            SyncEvent::SpendAlerts(_) => SyncEventName::SpendAlerts,
            SyncEvent::Finished(_) => SyncEventName::Finished,
        }
    }
}

/// Where [`SyncEvent`]s go. Called from the sync's tasks: forward, do not block.
pub type EventSink = Arc<dyn Fn(SyncEvent) + Send + Sync>;

/// Names of the events a background sync emits to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SyncEventName {
    /// Payload: `SyncProgress`.
    #[serde(rename = "sync-progress")]
    Progress,
    /// Payload: `SyncFinished`.
    #[serde(rename = "sync-finished")]
    Finished,
    /// Payload: `AlertCheck` (after a sync, when spend thresholds are set).
    #[serde(rename = "spend-alerts")]
    SpendAlerts,
    /// Payload: `BackgroundSyncStatus` (a background sync ended).
    #[serde(rename = "background-sync")]
    BackgroundSync,
}

impl SyncEventName {
    pub const fn as_str(self) -> &'static str {
        match self {
            SyncEventName::Progress => "sync-progress",
            SyncEventName::Finished => "sync-finished",
            SyncEventName::SpendAlerts => "spend-alerts",
            SyncEventName::BackgroundSync => "background-sync",
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_serialize_as_emitted() {
        for name in [
            SyncEventName::Progress,
            SyncEventName::Finished,
            SyncEventName::SpendAlerts,
            SyncEventName::BackgroundSync,
        ] {
            assert_eq!(
                serde_json::to_value(name).unwrap(),
                serde_json::Value::from(name.as_str())
            );
        }
    }
}
