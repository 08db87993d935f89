//! What the billing views need to know about the call cache: when a client was last synced, and
//! a sync for the CLI (whose demo starts with an empty cache on every run).

use agencydesk_core::store::sync_state;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions, SyncReport};
use rusqlite::Connection;

use super::error::BillingCommandError;
use crate::state::Session;

/// When the client's calls were last synced, `None` if never.
pub fn last_sync_at(
    conn: &Connection,
    org_id: &str,
) -> Result<Option<String>, BillingCommandError> {
    Ok(sync_state::get(conn, org_id)?.and_then(|s| s.last_sync_at))
}

/// Syncs one client's calls (`Some(id)`) or every client's through core's sync; any org that did
/// not finish is an error naming it.
pub async fn sync_clients(
    session: &Session,
    org_id: Option<&str>,
) -> Result<SyncReport, BillingCommandError> {
    let report = session
        .agency
        .sync_calls(
            org_id,
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await?;
    if let Some(failed) = report.failed().next() {
        return Err(BillingCommandError::Sync {
            client: failed.org_name.clone(),
            message: failed
                .error
                .as_ref()
                .map_or_else(|| "no reason given".to_owned(), |e| e.message.clone()),
        });
    }
    Ok(report)
}
