//! Agency-wide settings (key rotation age, background sync interval) and each client's Vapi
//! address (spend alerts are thresholds: `billing::spend_alerts`): stored in
//! SQLite so the window and the CLI read the same values.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::trust::Confirmer;
use super::{Agency, AgencyError};
use crate::error::CoreError;
use crate::store::settings::{self, SettingsRow};
use crate::store::time;

/// Keys older than this are flagged until the user picks another age.
pub const DEFAULT_KEY_ROTATION_MAX_AGE_DAYS: u32 = 180;
/// Longest rotation age accepted: ten years is already "never".
pub const MAX_KEY_ROTATION_AGE_DAYS: u32 = 3650;
/// Minutes between background syncs until the user picks another interval.
pub const DEFAULT_BACKGROUND_SYNC_MINUTES: u32 = 15;
/// Accepted background sync intervals: more often than every 5 minutes only loads Vapi; a day
/// is the longest that still keeps this month's spend alerts meaningful.
pub const BACKGROUND_SYNC_MINUTES: std::ops::RangeInclusive<u32> = 5..=1440;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencySettings {
    /// Keys older than this many days are flagged by the key audit.
    pub key_rotation_max_age_days: u32,
    /// Minutes between the open app's background syncs of every linked org.
    pub background_sync_minutes: u32,
    /// When they were last saved; `null` while the defaults apply.
    pub updated_at: Option<String>,
    /// Archive new recordings after each sync (`Agency::after_sync`).
    pub archive_after_sync: bool,
}

/// What the user submits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SettingsUpdate {
    pub key_rotation_max_age_days: u32,
}

fn read(conn: &rusqlite::Connection) -> Result<AgencySettings, CoreError> {
    let background_sync_minutes =
        settings::background_sync_minutes(conn)?.unwrap_or(DEFAULT_BACKGROUND_SYNC_MINUTES);
    let archive_after_sync = settings::archive_after_sync(conn)?;
    Ok(match settings::get(conn)? {
        Some(row) => AgencySettings {
            key_rotation_max_age_days: row.key_rotation_max_age_days,
            background_sync_minutes,
            updated_at: Some(row.updated_at),
            archive_after_sync,
        },
        None => AgencySettings {
            key_rotation_max_age_days: DEFAULT_KEY_ROTATION_MAX_AGE_DAYS,
            background_sync_minutes,
            updated_at: None,
            archive_after_sync,
        },
    })
}

fn check_interval(minutes: u32) -> Result<u32, CoreError> {
    if BACKGROUND_SYNC_MINUTES.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(CoreError::InvalidInput(format!(
            "The background sync interval must be a whole number of minutes between {} and {}; \
             {minutes} is not.",
            BACKGROUND_SYNC_MINUTES.start(),
            BACKGROUND_SYNC_MINUTES.end()
        )))
    }
}

fn check_age(days: u32) -> Result<u32, CoreError> {
    if (1..=MAX_KEY_ROTATION_AGE_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(CoreError::InvalidInput(format!(
            "The key rotation age must be a whole number of days between 1 and \
             {MAX_KEY_ROTATION_AGE_DAYS}; {days} is not."
        )))
    }
}

impl Agency {
    /// The saved settings, or the defaults if none were saved.
    pub fn settings(&self) -> Result<AgencySettings, CoreError> {
        self.store.read(read)
    }

    /// Switches "Archive new recordings after each sync" on or off.
    pub fn set_archive_after_sync(&self, on: bool) -> Result<AgencySettings, CoreError> {
        self.store.write(|tx| {
            settings::set_archive_after_sync(
                tx,
                on,
                DEFAULT_KEY_ROTATION_MAX_AGE_DAYS,
                &time::now(),
            )?;
            read(tx)
        })
    }

    /// Validates and saves the background sync interval; the other settings stay.
    pub fn set_background_sync_minutes(&self, minutes: u32) -> Result<AgencySettings, CoreError> {
        let minutes = check_interval(minutes)?;
        self.store.write(|tx| {
            settings::set_background_sync_minutes(
                tx,
                minutes,
                DEFAULT_KEY_ROTATION_MAX_AGE_DAYS,
                &time::now(),
            )?;
            read(tx)
        })
    }

    /// Validates and saves the settings; nothing is saved if one is invalid.
    pub fn update_settings(&self, update: &SettingsUpdate) -> Result<AgencySettings, CoreError> {
        let row = SettingsRow {
            key_rotation_max_age_days: check_age(update.key_rotation_max_age_days)?,
            updated_at: time::now(),
        };
        self.store.write(|tx| {
            settings::set(tx, &row)?;
            read(tx)
        })
    }

    /// Points a client org at another Vapi address (a proxy, a regional endpoint); the next
    /// sync or refresh uses it. A host other than Vapi's or this machine's, not yet trusted for
    /// the org, is put to `confirmer` first; refused, nothing is saved. Returns the address as
    /// stored (normalised).
    pub async fn set_client_base_url(
        &self,
        org_id: &str,
        url: &str,
        confirmer: &Confirmer,
    ) -> Result<String, CoreError> {
        let row = self.row(org_id)?;
        let cleared = self
            .clear_destination(Some((&row.id, &row.name)), url, confirmer)
            .await?;
        let text = cleared.destination.as_stored();
        let now = time::now();
        let found = self.store.write(|tx| {
            let found = settings::set_base_url(tx, org_id, &text, &now)?;
            if found {
                cleared.record(tx, org_id, &now)?;
            }
            Ok::<_, CoreError>(found)
        })?;
        if found {
            Ok(text)
        } else {
            Err(AgencyError::ClientNotFound {
                org_id: org_id.to_owned(),
            }
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_sync_intervals_outside_five_minutes_to_a_day_are_refused() {
        assert_eq!(check_interval(5).unwrap(), 5);
        assert_eq!(check_interval(1440).unwrap(), 1440);
        for bad in [0, 4, 1441] {
            let err = check_interval(bad).unwrap_err();
            assert!(
                err.to_string().contains("between 5 and 1440"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn ages_outside_one_to_ten_years_are_refused() {
        assert_eq!(check_age(1).unwrap(), 1);
        assert_eq!(check_age(3650).unwrap(), 3650);
        assert!(check_age(0).is_err());
        assert!(check_age(3651).is_err());
    }
}
