//! Rows of `tokens`: each org's API keys as last fetched from Vapi.
//!
//! The key value is kept only for public keys (they are published in web pages by design and
//! snippets must work offline); for any other tag it is dropped here before it reaches SQL, and
//! the table's CHECK constraint refuses it as well.

use rusqlite::{Connection, Row, Transaction};

use super::StoreError;

/// The tag whose values may be cached.
pub const PUBLIC_TAG: &str = "public";

#[derive(Debug, Clone, PartialEq)]
pub struct TokenRow {
    pub id: String,
    pub org_id: String,
    /// `public`, `private`, or whatever new tag Vapi introduces.
    pub tag: String,
    pub name: Option<String>,
    /// `TokenRestrictions` as JSON.
    pub restrictions: Option<String>,
    pub enabled: bool,
    pub created_at: String,
    pub updated_at: String,
    /// The public key itself; always `None` for non-public tags.
    pub value: Option<String>,
}

impl TokenRow {
    pub fn is_public(&self) -> bool {
        self.tag == PUBLIC_TAG
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: row.get(0)?,
        org_id: row.get(1)?,
        tag: row.get(2)?,
        name: row.get(3)?,
        restrictions: row.get(4)?,
        enabled: row.get(5)?,
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
        value: row.get(8)?,
    })
}

/// Inserts or updates one token.
pub fn upsert(conn: &Connection, token: &TokenRow) -> Result<(), StoreError> {
    let value = if token.is_public() {
        token.value.as_deref()
    } else {
        None
    };
    conn.prepare_cached(
        "INSERT INTO tokens (id, org_id, tag, name, restrictions, enabled, created_at, updated_at, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET
             org_id = excluded.org_id,
             tag = excluded.tag,
             name = excluded.name,
             restrictions = excluded.restrictions,
             enabled = excluded.enabled,
             created_at = excluded.created_at,
             updated_at = excluded.updated_at,
             value = excluded.value",
    )?
    .execute((
        &token.id,
        &token.org_id,
        &token.tag,
        &token.name,
        &token.restrictions,
        token.enabled,
        &token.created_at,
        &token.updated_at,
        value,
    ))?;
    Ok(())
}

/// Makes the stored tokens of `org_id` exactly `tokens`.
pub fn replace_for_org(
    tx: &Transaction<'_>,
    org_id: &str,
    tokens: &[TokenRow],
) -> Result<(), StoreError> {
    for token in tokens {
        upsert(
            tx,
            &TokenRow {
                org_id: org_id.to_owned(),
                ..token.clone()
            },
        )?;
    }
    let keep: Vec<&str> = tokens.iter().map(|t| t.id.as_str()).collect();
    super::delete_others(tx, "tokens", org_id, &keep)
}

pub fn delete(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM tokens WHERE id = ?1", [id])? > 0)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<TokenRow>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id, org_id, tag, name, restrictions, enabled, created_at, updated_at, value
             FROM tokens WHERE id = ?1",
            [id],
            from_row,
        )
        .optional()?)
}

/// The org's tokens, newest first.
pub fn list_for_org(conn: &Connection, org_id: &str) -> Result<Vec<TokenRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, org_id, tag, name, restrictions, enabled, created_at, updated_at, value
         FROM tokens WHERE org_id = ?1 ORDER BY created_at DESC, id",
    )?;
    let rows = stmt.query_map([org_id], from_row)?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn count_public(conn: &Connection, org_id: &str) -> Result<u32, StoreError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tokens WHERE org_id = ?1 AND tag = 'public'",
        [org_id],
        |row| row.get(0),
    )?)
}
