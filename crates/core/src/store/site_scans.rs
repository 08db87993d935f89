//! Rows of the site exposure scan: each client org's site URLs, its last scan (as JSON, keys as
//! fingerprints only), and the public keys that left the token list (filled by a trigger on
//! `tokens`, see the `site_scan` migration).

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::StoreError;

/// The org's stored site URLs, in the order they were added.
pub fn urls(conn: &Connection, org_id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT url FROM site_urls WHERE org_id = ?1 ORDER BY added_at, url")?;
    let rows = stmt.query_map([org_id], |row| row.get(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Makes the org's stored site URLs exactly `urls` (kept in this order).
pub fn set_urls(
    tx: &Transaction<'_>,
    org_id: &str,
    urls: &[String],
    now: &str,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM site_urls WHERE org_id = ?1", [org_id])?;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO site_urls (org_id, url, added_at) VALUES (?1, ?2, ?3)",
    )?;
    // The position goes into `added_at`'s tail so the order survives equal timestamps.
    for (i, url) in urls.iter().enumerate() {
        insert.execute((org_id, url, format!("{now}#{i:04}")))?;
    }
    Ok(())
}

pub fn save_scan(
    conn: &Connection,
    org_id: &str,
    scanned_at: &str,
    report_json: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO site_scans (org_id, scanned_at, report) VALUES (?1, ?2, ?3)
         ON CONFLICT (org_id) DO UPDATE SET scanned_at = excluded.scanned_at, report = excluded.report",
        (org_id, scanned_at, report_json),
    )?;
    Ok(())
}

/// The org's last scan report as JSON.
pub fn last_scan(conn: &Connection, org_id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT report FROM site_scans WHERE org_id = ?1",
            [org_id],
            |row| row.get(0),
        )
        .optional()?)
}

/// A public key that is no longer in its org's token list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetiredKey {
    pub value: String,
    pub org_id: String,
    pub key_id: String,
}

pub fn retired_keys(conn: &Connection) -> Result<Vec<RetiredKey>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT value, org_id, key_id FROM retired_public_keys")?;
    let rows = stmt.query_map([], |row| {
        Ok(RetiredKey {
            value: row.get(0)?,
            org_id: row.get(1)?,
            key_id: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
