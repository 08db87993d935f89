//! Rows of `client_orgs`: every Vapi org agencydesk knows (the agency's own and its clients').

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StoreError;

/// Whether an org is the agency's own or a client's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum OrgKind {
    Agency,
    Client,
}

/// Where an org stands with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum OrgStatus {
    /// Its private key is in the keychain and Vapi accepted it when last used.
    Linked,
    /// Created through the agency's key; its own private key has not been pasted yet.
    PendingKey,
    /// Vapi refused the stored key (revoked or replaced); it must be pasted again.
    KeyRejected,
    /// Its key is no longer in the keychain (deleted outside agencydesk); it must be linked
    /// again. Stored as `key_missing_at` beside status `linked` (see the migration).
    KeyMissing,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Agency => "agency",
            OrgKind::Client => "client",
        }
    }
}

impl OrgStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgStatus::Linked => "linked",
            OrgStatus::PendingKey => "pending_key",
            OrgStatus::KeyRejected => "key_rejected",
            OrgStatus::KeyMissing => "key_missing",
        }
    }
}

impl ToSql for OrgKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for OrgKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "agency" => Ok(OrgKind::Agency),
            "client" => Ok(OrgKind::Client),
            other => Err(FromSqlError::Other(
                format!("unknown org kind {other:?}").into(),
            )),
        }
    }
}

impl ToSql for OrgStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for OrgStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "linked" => Ok(OrgStatus::Linked),
            "pending_key" => Ok(OrgStatus::PendingKey),
            "key_rejected" => Ok(OrgStatus::KeyRejected),
            "key_missing" => Ok(OrgStatus::KeyMissing),
            other => Err(FromSqlError::Other(
                format!("unknown org status {other:?}").into(),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOrgRow {
    /// Vapi's org id.
    pub id: String,
    pub name: String,
    pub base_url: String,
    /// See [`crate::sensitive::Sensitive::fingerprint`]; `None` while no key is linked.
    pub key_fingerprint: Option<String>,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub linked_at: Option<String>,
    pub updated_at: String,
}

const COLUMNS: &str = "id, name, base_url, key_fingerprint, kind, \
     CASE WHEN key_missing_at IS NOT NULL AND status = 'linked' THEN 'key_missing' ELSE status END, \
     linked_at, updated_at";

/// `status` as stored: `key_missing` is `linked` plus `key_missing_at` (see the migration).
const STORED_STATUS: &str = "CASE WHEN ?2 = 'key_missing' THEN 'linked' ELSE ?2 END";
/// `key_missing_at` as stored: set for `key_missing`, cleared by every other status.
const STORED_KEY_MISSING_AT: &str = "CASE WHEN ?2 = 'key_missing' THEN ?3 END";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ClientOrgRow> {
    Ok(ClientOrgRow {
        id: row.get(0)?,
        name: row.get(1)?,
        base_url: row.get(2)?,
        key_fingerprint: row.get(3)?,
        kind: row.get(4)?,
        status: row.get(5)?,
        linked_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

/// Inserts the org or replaces every column of the existing row with the same id.
pub fn upsert(conn: &Connection, org: &ClientOrgRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO client_orgs
             (id, name, base_url, key_fingerprint, kind, status, key_missing_at, linked_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5,
             CASE WHEN ?6 = 'key_missing' THEN 'linked' ELSE ?6 END,
             CASE WHEN ?6 = 'key_missing' THEN ?8 END,
             ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET
             name = excluded.name,
             base_url = excluded.base_url,
             key_fingerprint = excluded.key_fingerprint,
             kind = excluded.kind,
             status = excluded.status,
             key_missing_at = excluded.key_missing_at,
             linked_at = excluded.linked_at,
             updated_at = excluded.updated_at",
        (
            &org.id,
            &org.name,
            &org.base_url,
            &org.key_fingerprint,
            org.kind,
            org.status,
            &org.linked_at,
            &org.updated_at,
        ),
    )?;
    Ok(())
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<ClientOrgRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM client_orgs WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

/// The agency's own org, if linked.
pub fn agency_org(conn: &Connection) -> Result<Option<ClientOrgRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM client_orgs WHERE kind = 'agency'");
    Ok(conn.query_row(&sql, [], from_row).optional()?)
}

/// All orgs: the agency's first, then clients by name.
pub fn list(conn: &Connection) -> Result<Vec<ClientOrgRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM client_orgs
         ORDER BY kind = 'client', name COLLATE NOCASE, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn set_status(
    conn: &Connection,
    id: &str,
    status: OrgStatus,
    updated_at: &str,
) -> Result<bool, StoreError> {
    let sql = format!(
        "UPDATE client_orgs SET status = {STORED_STATUS}, key_missing_at = {STORED_KEY_MISSING_AT}, \
         updated_at = ?3 WHERE id = ?1"
    );
    let changed = conn.execute(&sql, (id, status, updated_at))?;
    Ok(changed > 0)
}

/// Deletes the org and, through foreign keys, its assistants, tokens, sync state and calls.
pub fn delete(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM client_orgs WHERE id = ?1", [id])? > 0)
}
