//! The single `agency_settings` row, stored as validated values (checks live in
//! `agency::settings`; the table's CHECK constraints are the last line of defence).

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// The row as stored; `None` from [`get`] means nothing was saved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRow {
    pub key_rotation_max_age_days: u32,
    pub spend_alert_usd: Option<String>,
    pub updated_at: String,
}

pub fn get(conn: &Connection) -> Result<Option<SettingsRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT key_rotation_max_age_days, spend_alert_usd, updated_at
             FROM agency_settings WHERE id = 1",
            [],
            |row| {
                Ok(SettingsRow {
                    key_rotation_max_age_days: row.get(0)?,
                    spend_alert_usd: row.get(1)?,
                    updated_at: row.get(2)?,
                })
            },
        )
        .optional()?)
}

pub fn set(conn: &Connection, row: &SettingsRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, spend_alert_usd, updated_at)
         VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET
             key_rotation_max_age_days = excluded.key_rotation_max_age_days,
             spend_alert_usd = excluded.spend_alert_usd,
             updated_at = excluded.updated_at",
        (
            row.key_rotation_max_age_days,
            &row.spend_alert_usd,
            &row.updated_at,
        ),
    )?;
    Ok(())
}

/// Points one org at another Vapi address; `false` if the org is unknown.
pub fn set_base_url(
    conn: &Connection,
    org_id: &str,
    base_url: &str,
    now: &str,
) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE client_orgs SET base_url = ?2, updated_at = ?3 WHERE id = ?1",
        (org_id, base_url, now),
    )?;
    Ok(changed > 0)
}

/// The background sync interval in minutes; `None` while the default applies.
pub fn background_sync_minutes(conn: &Connection) -> Result<Option<u32>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT background_sync_minutes FROM agency_settings WHERE id = 1",
            [],
            |row| row.get::<_, Option<u32>>(0),
        )
        .optional()?
        .flatten())
}

/// Saves the background sync interval (validated by the caller); the other settings keep their
/// values, or their defaults when none were saved.
pub fn set_background_sync_minutes(
    conn: &Connection,
    minutes: u32,
    default_rotation_days: u32,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, background_sync_minutes, updated_at)
         VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET
             background_sync_minutes = excluded.background_sync_minutes,
             updated_at = excluded.updated_at",
        (default_rotation_days, minutes, now),
    )?;
    Ok(())
}
