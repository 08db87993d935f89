//! Rows of `sync_state`: how far the call sync of each org has got.

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStateRow {
    pub org_id: String,
    pub created_watermark: Option<String>,
    pub updated_watermark: Option<String>,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

pub fn get(conn: &Connection, org_id: &str) -> Result<Option<SyncStateRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT org_id, created_watermark, updated_watermark, last_sync_at, last_error
             FROM sync_state WHERE org_id = ?1",
            [org_id],
            |row| {
                Ok(SyncStateRow {
                    org_id: row.get(0)?,
                    created_watermark: row.get(1)?,
                    updated_watermark: row.get(2)?,
                    last_sync_at: row.get(3)?,
                    last_error: row.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn upsert(conn: &Connection, state: &SyncStateRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sync_state (org_id, created_watermark, updated_watermark, last_sync_at, last_error)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (org_id) DO UPDATE SET
             created_watermark = excluded.created_watermark,
             updated_watermark = excluded.updated_watermark,
             last_sync_at = excluded.last_sync_at,
             last_error = excluded.last_error",
        (
            &state.org_id,
            &state.created_watermark,
            &state.updated_watermark,
            &state.last_sync_at,
            &state.last_error,
        ),
    )?;
    Ok(())
}
