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

/// "Archive new recordings after each sync" (off until switched on).
pub fn archive_after_sync(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT archive_after_sync FROM agency_settings WHERE id = 1",
            [],
            |row| row.get::<_, bool>(0),
        )
        .optional()?
        .unwrap_or(false))
}

/// Sets it; the other settings keep their values (`default_age` only when none was saved).
pub fn set_archive_after_sync(
    conn: &Connection,
    on: bool,
    default_age: u32,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, spend_alert_usd, updated_at,
                                      archive_after_sync)
         VALUES (1, ?1, NULL, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET archive_after_sync = excluded.archive_after_sync,
             updated_at = excluded.updated_at",
        (default_age, now, on),
    )?;
    Ok(())
}

/// The archive folder the user chose (`None`: the default) and the folder an unfinished move
/// was going to.
pub fn archive_location(conn: &Connection) -> Result<(Option<String>, Option<String>), StoreError> {
    Ok(conn
        .query_row(
            "SELECT archive_folder, archive_moving_to FROM agency_settings WHERE id = 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?
        .unwrap_or((None, None)))
}

/// Records that a move of the archive to `to` is starting; the folder in use stays the same.
pub fn set_archive_moving_to(
    conn: &Connection,
    to: &str,
    default_age: u32,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, spend_alert_usd, updated_at,
                                      archive_moving_to)
         VALUES (1, ?1, NULL, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET archive_moving_to = excluded.archive_moving_to,
             updated_at = excluded.updated_at",
        (default_age, now, to),
    )?;
    Ok(())
}

/// Switches the archive to `folder` (`None`: the default) and ends any move under way.
pub fn set_archive_folder(
    conn: &Connection,
    folder: Option<&str>,
    default_age: u32,
    now: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, spend_alert_usd, updated_at,
                                      archive_folder)
         VALUES (1, ?1, NULL, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET archive_folder = excluded.archive_folder,
             archive_moving_to = NULL, updated_at = excluded.updated_at",
        (default_age, now, folder),
    )?;
    Ok(())
}

/// Vapi's `callRetentionDays` for the org, as a sync read it (`None`: unknown or unlimited).
pub fn set_call_retention_days(
    conn: &Connection,
    org_id: &str,
    days: Option<u32>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE client_orgs SET call_retention_days = ?2 WHERE id = ?1",
        (org_id, days),
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
