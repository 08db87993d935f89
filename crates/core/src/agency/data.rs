//! The data folder's upkeep: backups, restoring one, and rebuilding the call cache.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use super::Agency;
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::backup::{self, BackupInfo, BackupKind};
use crate::store::lock::{LockMode, LockName};
use crate::store::restore::{self, RestoreReport};
use crate::store::{call_search, clients, StoreError};

/// What rebuilding the call cache removed; the next sync reads every call again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CacheRebuild {
    #[ts(type = "number")]
    pub calls_removed: u64,
    /// Orgs whose sync starts over from their whole history.
    pub orgs: usize,
}

impl Agency {
    /// Today's daily backup unless one exists (the newest seven daily ones are kept).
    pub async fn daily_backup(&self) -> Result<Option<BackupInfo>, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || Ok(store.ensure_daily_backup()?)).await
    }

    /// A backup made now (`agencydesk backup create`).
    pub async fn create_backup(&self) -> Result<BackupInfo, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || Ok(store.create_backup(BackupKind::Manual)?)).await
    }

    /// The data folder's backups, newest first.
    pub fn list_backups(&self) -> Result<Vec<BackupInfo>, CoreError> {
        Ok(self.store().list_backups()?)
    }

    /// The backups of the data folder `data_dir`, newest first, without opening its database
    /// (which may be damaged).
    pub fn backups_in(data_dir: &Path) -> Result<Vec<BackupInfo>, CoreError> {
        Ok(backup::list(&backup::backup_dir(data_dir))?)
    }

    /// The file of the backup `id` (a name from [`Self::backups_in`]), inside the backups
    /// folder of `data_dir` whatever `id` says.
    pub fn backup_file(data_dir: &Path, id: &str) -> Result<PathBuf, CoreError> {
        Ok(backup::resolve(&backup::backup_dir(data_dir), id)?)
    }

    /// Replaces the database of `data_dir` by the backup at `source`, which is checked first.
    /// No agency may be open on `data_dir`, in this process or another (the data folder's
    /// exclusive lock is taken); the app closes its own first.
    /// `wait`: how long to wait for other holders of the data folder to let go.
    pub async fn restore_backup(
        data_dir: &Path,
        source: &Path,
        wait: Duration,
    ) -> Result<RestoreReport, CoreError> {
        let (dir, source) = (data_dir.to_path_buf(), source.to_path_buf());
        blocking(move || Ok(restore::restore(&dir, &source, wait)?)).await
    }

    /// Drops the cached calls, the sync state and the compression dictionaries, so the next sync
    /// reads every call again; orgs, plans, invoices and their numbering stay. Refused while
    /// any org syncs, here or in another process.
    pub async fn rebuild_call_cache(&self) -> Result<CacheRebuild, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || {
            let orgs = store.read(clients::list)?;
            let mut held = Vec::with_capacity(orgs.len());
            for org in &orgs {
                let name = LockName::Sync {
                    org_id: org.id.clone(),
                };
                held.push(
                    store
                        .data_lock(&name, LockMode::Exclusive, Duration::ZERO, Some(&org.name))
                        .map_err(StoreError::from)?,
                );
            }
            let calls_removed = store.write(|tx| {
                // The rollup first, so the per-row trigger of the calls' delete finds nothing
                // left to update.
                tx.execute("DELETE FROM calls_daily", [])?;
                // Likewise the search index, so the delete trigger finds nothing to remove.
                call_search::clear(tx)?;
                let removed = tx.execute("DELETE FROM calls", [])?;
                tx.execute("DELETE FROM sync_state", [])?;
                tx.execute("DELETE FROM call_dicts", [])?;
                Ok::<_, StoreError>(removed)
            })?;
            drop(held);
            Ok(CacheRebuild {
                calls_removed: u64::try_from(calls_removed).unwrap_or(u64::MAX),
                orgs: orgs.len(),
            })
        })
        .await
    }
}
