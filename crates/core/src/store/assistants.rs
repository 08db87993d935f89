//! Rows of `assistants`: each org's assistants as last fetched from Vapi.

use rusqlite::{Connection, Row, Transaction};

use super::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub struct AssistantRow {
    pub id: String,
    pub org_id: String,
    pub name: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Vapi's JSON for the assistant, secret-looking fields removed.
    pub raw: String,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<AssistantRow> {
    Ok(AssistantRow {
        id: row.get(0)?,
        org_id: row.get(1)?,
        name: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
        raw: row.get(5)?,
    })
}

/// Makes the stored assistants of `org_id` exactly `assistants`: upserts each, deletes those
/// Vapi no longer lists. A transaction so readers never see a half-replaced list.
pub fn replace_for_org(
    tx: &Transaction<'_>,
    org_id: &str,
    assistants: &[AssistantRow],
) -> Result<(), StoreError> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO assistants (id, org_id, name, created_at, updated_at, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET
             org_id = excluded.org_id,
             name = excluded.name,
             created_at = excluded.created_at,
             updated_at = excluded.updated_at,
             raw = excluded.raw",
    )?;
    for a in assistants {
        upsert.execute((&a.id, org_id, &a.name, &a.created_at, &a.updated_at, &a.raw))?;
    }
    let keep: Vec<&str> = assistants.iter().map(|a| a.id.as_str()).collect();
    super::delete_others(tx, "assistants", org_id, &keep)
}

/// The org's assistants, by name.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<AssistantRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, org_id, name, created_at, updated_at, raw FROM assistants
         WHERE org_id = ?1 ORDER BY name COLLATE NOCASE, id",
    )?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
