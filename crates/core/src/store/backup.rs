//! Backups of the database: SQLite online backups (consistent while the app runs) in
//! `<data dir>/backups/`, and restoring one.
//!
//! A backup is one self-contained SQLite file (rollback journal, no `-wal` beside it) named
//! `agencydesk-<UTC time>-<why>.sqlite`, so names sort by time and say why they were made:
//! `daily` (the first open of a day; the newest [`DAILY_KEPT`] are kept), `pre-migration`
//! (before the schema is updated; all kept), `manual` (`agencydesk backup create`; all kept),
//! `before-restore` (the database a restore replaced; all kept). A backup is written under a
//! `.partial` name and renamed when complete, so a crash never leaves a half backup that looks
//! whole.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use ts_rs::TS;

use super::StoreError;

/// The backups folder, in the data folder.
pub const BACKUP_DIR: &str = "backups";
/// Daily backups kept; older ones are removed after a new one is made.
pub const DAILY_KEPT: usize = 7;

const PREFIX: &str = "agencydesk-";
const SUFFIX: &str = ".sqlite";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%S%.3fZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum BackupKind {
    Daily,
    PreMigration,
    Manual,
    BeforeRestore,
}

impl BackupKind {
    /// The word in file names and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::PreMigration => "pre-migration",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before-restore",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [
            BackupKind::Daily,
            BackupKind::PreMigration,
            BackupKind::Manual,
            BackupKind::BeforeRestore,
        ]
        .into_iter()
        .find(|k| k.as_str() == tag)
    }
}

/// One backup file, as `backup list` and the Settings screen show it. `id` is its file name in
/// the backups folder: the window names a backup by it, never by a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct BackupInfo {
    pub id: String,
    pub kind: BackupKind,
    /// RFC 3339, UTC.
    pub created_at: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

pub fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUP_DIR)
}

fn file_name(at: DateTime<Utc>, kind: BackupKind) -> String {
    format!(
        "{PREFIX}{}-{}{SUFFIX}",
        at.format(TIME_FORMAT),
        kind.as_str()
    )
}

/// Reads a backup's time and kind back from its name; `None` for any other file.
fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (time, tag) = rest.split_once('-')?;
    let at = NaiveDateTime::parse_from_str(time, TIME_FORMAT).ok()?;
    Some((at.and_utc(), BackupKind::from_tag(tag)?))
}

/// Writes a backup of `conn`'s main database into `dir` (created 0700 if missing) and returns it.
pub fn create(
    conn: &Connection,
    dir: &Path,
    kind: BackupKind,
    now: DateTime<Utc>,
) -> Result<BackupInfo, StoreError> {
    super::files::create_private_dir(dir)?;
    let name = file_name(now, kind);
    let path = dir.join(&name);
    let partial = dir.join(format!("{name}.partial"));
    let written = write_copy(conn, &partial);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &path).map_err(|source| StoreError::File {
        path: path.clone(),
        source,
    })?;
    tracing::info!(backup = %name, "database backup written");
    info_for(dir, &name)
}

fn write_copy(conn: &Connection, to: &Path) -> Result<(), StoreError> {
    // Created here first so it is private (0600) before a byte is written to it.
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(to).map_err(|source| StoreError::File {
        path: to.to_path_buf(),
        source,
    })?;
    let mut copy = Connection::open(to)?;
    {
        let backup = Backup::new(conn, &mut copy)?;
        // One step: the whole copy is read in one read transaction, so it is one consistent
        // state of the database, and (WAL) writers elsewhere go on meanwhile. Smaller steps
        // would restart each time another connection wrote in between, forever during a sync.
        backup.run_to_completion(i32::MAX, std::time::Duration::ZERO, None)?;
    }
    // One self-contained file: no -wal to carry beside it.
    let _mode: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    copy.close().map_err(|(_, e)| StoreError::from(e))?;
    Ok(())
}

fn info_for(dir: &Path, name: &str) -> Result<BackupInfo, StoreError> {
    let (at, kind) = parse_name(name).ok_or_else(|| StoreError::BackupNotFound {
        name: name.to_owned(),
    })?;
    let size_bytes = std::fs::metadata(dir.join(name))
        .map(|m| m.len())
        .unwrap_or(0);
    Ok(BackupInfo {
        id: name.to_owned(),
        kind,
        created_at: super::time::format(at),
        size_bytes,
    })
}

/// The backups in `dir`, newest first. A missing folder is no backups.
pub fn list(dir: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::File {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    let mut found: Vec<(DateTime<Utc>, BackupInfo)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((at, _)) = parse_name(&name) {
            found.push((at, info_for(dir, &name)?));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.id.cmp(&a.1.id)));
    Ok(found.into_iter().map(|(_, info)| info).collect())
}

/// The backup called `id` in `dir`: only a plain file name of a backup agencydesk made, so a
/// name from the window can never reach outside the backups folder.
pub fn resolve(dir: &Path, id: &str) -> Result<PathBuf, StoreError> {
    let not_found = || StoreError::BackupNotFound {
        name: id.to_owned(),
    };
    if parse_name(id).is_none() || id.contains(['/', '\\']) || id.contains("..") {
        return Err(not_found());
    }
    let path = dir.join(id);
    if path.is_file() {
        Ok(path)
    } else {
        Err(not_found())
    }
}

/// Makes today's daily backup unless one exists, then keeps only the newest [`DAILY_KEPT`]
/// daily ones. Returns the backup made, if any.
pub fn ensure_daily(
    conn: &Connection,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<Option<BackupInfo>, StoreError> {
    let existing = list(dir)?;
    let today = now.date_naive();
    let done_today = existing.iter().any(|b| {
        b.kind == BackupKind::Daily
            && parse_name(&b.id).is_some_and(|(at, _)| at.date_naive() == today)
    });
    if done_today {
        return Ok(None);
    }
    let made = create(conn, dir, BackupKind::Daily, now)?;
    prune_daily(dir)?;
    Ok(Some(made))
}

fn prune_daily(dir: &Path) -> Result<(), StoreError> {
    let daily = list(dir)?
        .into_iter()
        .filter(|b| b.kind == BackupKind::Daily);
    for old in daily.skip(DAILY_KEPT) {
        let path = dir.join(&old.id);
        std::fs::remove_file(&path).map_err(|source| StoreError::File { path, source })?;
    }
    Ok(())
}

/// Checks that `path` is a whole, readable agencydesk database this version understands:
/// `PRAGMA quick_check` passes and its recorded schema versions are all known.
pub fn verify(path: &Path) -> Result<(), StoreError> {
    let not_ours = |reason: String| StoreError::NotABackup {
        path: path.to_path_buf(),
        reason,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_ours(e.to_string()))?;
    let check = super::integrity::quick_check(&conn).map_err(|e| not_ours(e.to_string()))?;
    if let Some(problem) = check {
        return Err(not_ours(format!("it is damaged ({problem})")));
    }
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|_| not_ours("it is not an agencydesk database".to_owned()))?;
    if versions.is_empty() {
        return Err(not_ours("it is not an agencydesk database".to_owned()));
    }
    let known = super::migrate::MIGRATIONS;
    if let Some(found) = versions
        .iter()
        .find(|v| !known.iter().any(|m| m.version == **v))
    {
        return Err(StoreError::TooNew {
            found: *found,
            known: super::migrate::latest_version(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_time_and_read_back() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T10:15:00.123Z")
            .unwrap()
            .with_timezone(&Utc);
        let name = file_name(at, BackupKind::PreMigration);
        assert_eq!(name, "agencydesk-20261203T101500.123Z-pre-migration.sqlite");
        assert_eq!(parse_name(&name), Some((at, BackupKind::PreMigration)));
        let later = file_name(at + chrono::Duration::seconds(1), BackupKind::Daily);
        assert!(later > name);
        assert_eq!(parse_name("agencydesk.sqlite"), None);
        assert_eq!(parse_name(&format!("{name}.partial")), None);
    }

    #[test]
    fn only_backup_names_resolve() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "../agencydesk.sqlite",
            "/etc/passwd",
            "agencydesk-20261203T101500.123Z-daily.sqlite/../../x",
            "agencydesk-20261203T101500.123Z-daily.sqlite",
        ] {
            assert!(matches!(
                resolve(dir.path(), bad),
                Err(StoreError::BackupNotFound { .. })
            ));
        }
    }
}
