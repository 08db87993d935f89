//! How fresh the call cache is for a client, as the billing views show it.

use rusqlite::Connection;

use crate::store::{sync_state, StoreError};

/// When the client's calls were last synced, `None` if never.
pub fn last_sync_at(conn: &Connection, org_id: &str) -> Result<Option<String>, StoreError> {
    Ok(sync_state::get(conn, org_id)?.and_then(|s| s.last_sync_at))
}
