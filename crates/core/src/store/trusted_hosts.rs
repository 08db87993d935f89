//! Hosts the owner confirmed for an org's key (see `vapi/destination.rs`).

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// Whether the owner confirmed `host` (canonical form) for the org.
pub fn is_trusted(conn: &Connection, org_id: &str, host: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM trusted_hosts WHERE org_id = ?1 AND host = ?2",
            (org_id, host),
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records the owner's confirmation; confirming again keeps the first date.
pub fn trust(conn: &Connection, org_id: &str, host: &str, now: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO trusted_hosts (org_id, host, confirmed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (org_id, host) DO NOTHING",
        (org_id, host, now),
    )?;
    Ok(())
}

/// Every host confirmed for the org, sorted.
pub fn list(conn: &Connection, org_id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT host FROM trusted_hosts WHERE org_id = ?1 ORDER BY host")?;
    let hosts = stmt
        .query_map([org_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(hosts)
}
