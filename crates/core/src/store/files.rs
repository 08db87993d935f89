//! Who may read agencydesk's files: on Unix the data folder is 0700 and the database (with its
//! `-wal` and `-shm`), its backups and lock files are 0600, so other accounts on the machine
//! cannot read the cache, invoices or public keys. Elsewhere the folder's inherited ACLs apply.

use std::path::{Path, PathBuf};

use super::StoreError;

/// The files SQLite keeps beside a database in WAL mode.
pub(crate) fn companions(db: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm")]
}

/// Creates `dir` (and its parents) if missing, and makes it private (0700).
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::File {
        path: dir.to_path_buf(),
        source,
    })?;
    make_private(dir, 0o700);
    Ok(())
}

/// Creates the database file private (0600) when it does not exist yet, so SQLite, which gives
/// its `-wal` and `-shm` the database's permissions, never creates a readable one; and narrows
/// an existing database and its companions made before this rule.
pub(crate) fn prepare_database_file(db: &Path) -> Result<(), StoreError> {
    if !db.exists() {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(db).map_err(|source| StoreError::File {
            path: db.to_path_buf(),
            source,
        })?;
    }
    make_database_private(db);
    Ok(())
}

pub(crate) fn make_database_private(db: &Path) {
    make_private(db, 0o600);
    for companion in companions(db) {
        if companion.exists() {
            make_private(&companion, 0o600);
        }
    }
}

/// Best effort: a folder agencydesk does not own (a shared mount) keeps its permissions, and
/// saying so in the log is enough.
#[cfg(unix)]
pub(crate) fn make_private(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
    if current.is_ok_and(|m| m == mode) {
        return;
    }
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        tracing::warn!(path = %path.display(), error = %e, "could not make the file private");
    }
}

#[cfg(not(unix))]
pub(crate) fn make_private(_path: &Path, _mode: u32) {}
