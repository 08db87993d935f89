//! The spend check that follows a run: thresholds are judged on the cache the run just filled.

use std::sync::Weak;

use agencydesk_core::agency::Agency;
use agencydesk_core::billing::AlertCheck;
use agencydesk_core::sync::{SyncOutcome, SyncReport};

/// This month's check after `report`, when some org synced and thresholds are set. A check that
/// fails (Vapi unreachable for a billing limit is reported inside the check, not here) is logged,
/// never fails the run.
pub(super) async fn after_run(agency: &Weak<Agency>, report: &SyncReport) -> Option<AlertCheck> {
    if !report.orgs.iter().any(|o| o.outcome == SyncOutcome::Done) {
        return None;
    }
    let agency = agency.upgrade()?;
    match agency.check_spend_alerts_after_sync().await {
        Ok(check) => check,
        Err(e) => {
            tracing::warn!(error = %e, "spend alerts were not checked after a sync");
            None
        }
    }
}
