//! Restoring a backup: the database is replaced by a verified copy of the backup, under the
//! data folder's exclusive instance lock, so never under a running app or CLI run.
//!
//! Steps, each leaving the data folder usable if the next fails: copy the backup beside the
//! database (`agencydesk.sqlite.restoring`) and check the copy (`quick_check`, an agencydesk
//! schema this version knows); keep the current database aside (a healthy one becomes a
//! `before-restore` backup; a damaged or unreadable one is renamed `.damaged-<time>`); then
//! rename the copy into place.

use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::backup::{self, BackupInfo, BackupKind};
use super::files::{companions, make_database_private};
use super::lock::{DataLock, LockError, LockMode, LockName};
use super::{integrity, StoreError};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct RestoreReport {
    /// The file restored from (a backup's file name, or the path given on the CLI).
    pub restored_from: String,
    /// The backup holding the database as it was before, when it was healthy.
    pub previous_backup: Option<BackupInfo>,
    /// Where a damaged previous database was moved, when it was damaged.
    pub previous_moved_to: Option<String>,
}

/// Replaces the database in `data_dir` by the backup at `source` (see the module docs).
/// `wait`: how long to wait for other holders of the data folder (the CLI: none).
pub fn restore(
    data_dir: &Path,
    source: &Path,
    wait: std::time::Duration,
) -> Result<RestoreReport, StoreError> {
    let _exclusive = DataLock::acquire(
        data_dir,
        &LockName::Instance,
        LockMode::Exclusive,
        wait,
        None,
    )
    .map_err(|e| match e {
        LockError::Busy { .. } => StoreError::Lock(LockError::Busy {
            what: "agencydesk is open in another process (the app or a CLI run); a backup is \
                   restored only while nothing else uses the data folder."
                .to_owned(),
        }),
        other => StoreError::Lock(other),
    })?;
    let db = data_dir.join(super::Store::FILE_NAME);
    let staged = PathBuf::from(format!("{}.restoring", db.display()));
    let staged_result = stage(source, &staged);
    if let Err(e) = staged_result {
        remove_all(&staged);
        return Err(e);
    }

    let (previous_backup, previous_moved_to) = match keep_previous(&db, data_dir) {
        Ok(kept) => kept,
        Err(e) => {
            remove_all(&staged);
            return Err(e);
        }
    };
    // The previous database is safe elsewhere now; its files make way for the restored one.
    for file in std::iter::once(db.clone()).chain(companions(&db)) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(StoreError::File { path: file, source }),
        }
    }
    std::fs::rename(&staged, &db).map_err(|source| StoreError::File {
        path: db.clone(),
        source,
    })?;
    make_database_private(&db);
    tracing::info!(from = %source.display(), "database restored from a backup");
    Ok(RestoreReport {
        restored_from: source.file_name().map_or_else(
            || source.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        previous_backup,
        previous_moved_to: previous_moved_to.map(|p| p.display().to_string()),
    })
}

/// Copies `source` to `staged` (private) and checks the copy, so the backup itself is never
/// opened for writing.
fn stage(source: &Path, staged: &Path) -> Result<(), StoreError> {
    remove_all(staged);
    backup::verify(source)?;
    let copy = Connection::open_with_flags(source, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|from| {
            let mut to = Connection::open(staged)?;
            rusqlite::backup::Backup::new(&from, &mut to)?.run_to_completion(
                i32::MAX,
                std::time::Duration::ZERO,
                None,
            )?;
            let _mode: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            Ok(())
        });
    copy.map_err(|e| StoreError::NotABackup {
        path: source.to_path_buf(),
        reason: e.to_string(),
    })?;
    make_database_private(staged);
    backup::verify(staged)
}

type Kept = (Option<BackupInfo>, Option<PathBuf>);

/// A healthy current database becomes a `before-restore` backup; a damaged one is moved aside.
fn keep_previous(db: &Path, data_dir: &Path) -> Result<Kept, StoreError> {
    if !db.exists() {
        return Ok((None, None));
    }
    let healthy =
        Connection::open(db).and_then(|c| integrity::quick_check(&c).map(|problem| (c, problem)));
    match healthy {
        Ok((conn, None)) => {
            let info = backup::create(
                &conn,
                &backup::backup_dir(data_dir),
                BackupKind::BeforeRestore,
                Utc::now(),
            )?;
            Ok((Some(info), None))
        }
        Ok((_, Some(_))) | Err(_) => Ok((None, Some(integrity::move_aside(db, Utc::now())?))),
    }
}

fn remove_all(db: &Path) {
    for file in std::iter::once(db.to_path_buf()).chain(companions(db)) {
        let _ = std::fs::remove_file(file);
    }
}
