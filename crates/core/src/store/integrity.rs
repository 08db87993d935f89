//! Damage: `PRAGMA quick_check` when the store opens, and what happens to a damaged database.
//!
//! A damaged database is moved aside (renamed `agencydesk.sqlite.damaged-<time>`, with its
//! `-wal` and `-shm`, so the three still open together in any SQLite tool), never overwritten
//! and never replaced by an empty database: while a damaged copy sits in the data folder and no
//! database does, opening refuses and says how to restore the newest backup.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode};

use super::files::companions;
use super::StoreError;

const DAMAGED_MARK: &str = ".damaged-";

/// `None` when the database passes `PRAGMA quick_check`, else SQLite's first complaint.
pub fn quick_check(conn: &Connection) -> Result<Option<String>, rusqlite::Error> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    match lines.first().map(String::as_str) {
        Some("ok") => Ok(None),
        Some(first) => Ok(Some(first.to_owned())),
        None => Ok(Some("quick_check answered nothing".to_owned())),
    }
}

/// Whether SQLite's error means the file itself is damaged or not a database.
pub(crate) fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Renames the database and its companions aside; returns the new database name.
pub(crate) fn move_aside(db: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
    let mut aside = db.as_os_str().to_owned();
    aside.push(format!(
        "{DAMAGED_MARK}{}",
        now.format("%Y%m%dT%H%M%S%.3fZ")
    ));
    let aside = PathBuf::from(aside);
    let rename = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|source| StoreError::File {
            path: from.to_path_buf(),
            source,
        })
    };
    rename(db, &aside)?;
    for (from, to) in companions(db).iter().zip(companions(&aside).iter()) {
        if from.exists() {
            rename(from, to)?;
        }
    }
    tracing::error!(moved_to = %aside.display(), "damaged database moved aside");
    Ok(aside)
}

/// Damaged databases moved aside in `dir` for the database `db`, newest first.
pub fn damaged_copies(db: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (db.parent(), db.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}{DAMAGED_MARK}", name.to_string_lossy());
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && !n.ends_with("-wal") && !n.ends_with("-shm"))
        .map(|n| dir.join(n))
        .collect();
    found.sort();
    found.reverse();
    found
}
