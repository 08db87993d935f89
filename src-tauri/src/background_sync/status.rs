//! What the window shows of the background sync.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct BackgroundSyncStatus {
    pub interval_minutes: u32,
    /// When the last background sync ended; `null` before the first.
    pub last_run_at: Option<String>,
    /// Why background syncs fail, until one succeeds again (shown once as a notice, then
    /// quietly in the sidebar).
    pub error: Option<String>,
}
