//! The single `agency_settings` row, stored as validated values (checks live in
//! `agency::settings`; the table's CHECK constraints are the last line of defence).

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

/// The row as stored; `None` from [`get`] means nothing was saved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsRow {
    pub key_rotation_max_age_days: u32,
    pub updated_at: String,
}

pub fn get(conn: &Connection) -> Result<Option<SettingsRow>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT key_rotation_max_age_days, updated_at FROM agency_settings WHERE id = 1",
            [],
            |row| {
                Ok(SettingsRow {
                    key_rotation_max_age_days: row.get(0)?,
                    updated_at: row.get(1)?,
                })
            },
        )
        .optional()?)
}

pub fn set(conn: &Connection, row: &SettingsRow) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency_settings (id, key_rotation_max_age_days, updated_at)
         VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET
             key_rotation_max_age_days = excluded.key_rotation_max_age_days,
             updated_at = excluded.updated_at",
        (row.key_rotation_max_age_days, &row.updated_at),
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
    ensure_row(conn, default_age, now)?;
    conn.execute(
        "UPDATE agency_settings SET archive_after_sync = ?1, updated_at = ?2 WHERE id = 1",
        (on, now),
    )?;
    Ok(())
}

/// The single row with its defaults (`default_age`), if nothing was saved yet: each setter of
/// one setting then updates only its own column, and the others keep their values.
fn ensure_row(conn: &Connection, default_age: u32, now: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO agency_settings (id, key_rotation_max_age_days, updated_at)
         VALUES (1, ?1, ?2)",
        (default_age, now),
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
    ensure_row(conn, default_age, now)?;
    conn.execute(
        "UPDATE agency_settings SET archive_moving_to = ?1, updated_at = ?2 WHERE id = 1",
        (to, now),
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
    ensure_row(conn, default_age, now)?;
    conn.execute(
        "UPDATE agency_settings SET archive_folder = ?1, archive_moving_to = NULL, updated_at = ?2
         WHERE id = 1",
        (folder, now),
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
    ensure_row(conn, default_rotation_days, now)?;
    conn.execute(
        "UPDATE agency_settings SET background_sync_minutes = ?1, updated_at = ?2 WHERE id = 1",
        (minutes, now),
    )?;
    Ok(())
}

/// The single spend alert of earlier versions (`spend_alert_usd`: every client's monthly cost
/// above it was flagged) becomes a threshold in USD for each client org that has none in USD
/// yet, then is emptied, so it exists once, as thresholds. Runs at every open; does nothing once
/// folded. Returns how many thresholds it added.
pub fn fold_legacy_spend_alert(conn: &Connection) -> Result<usize, StoreError> {
    let legacy: Option<String> = conn
        .query_row(
            "SELECT spend_alert_usd FROM agency_settings WHERE id = 1",
            [],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let Some(value) = legacy else {
        return Ok(0);
    };
    // An alert of 0 flagged any cost at all; a threshold must be above 0: one cent says the same.
    let value = match value.parse::<rust_decimal::Decimal>() {
        Ok(v) if v > rust_decimal::Decimal::ZERO => v.normalize().to_string(),
        Ok(_) => "0.01".to_owned(),
        Err(_) => String::new(),
    };
    let added = if value.is_empty() {
        0
    } else {
        conn.execute(
            "INSERT OR IGNORE INTO spend_thresholds (org_id, kind, value)
             SELECT id, 'amount', ?1 FROM client_orgs WHERE kind = 'client'",
            [&value],
        )?
    };
    conn.execute(
        "UPDATE agency_settings SET spend_alert_usd = NULL WHERE id = 1",
        [],
    )?;
    Ok(added)
}
