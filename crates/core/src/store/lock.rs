//! Locks in the data folder, shared by every agencydesk process working on it (the app and any
//! CLI run). They are OS file locks (`flock` on Unix, `LockFileEx` on Windows) on small files,
//! so the OS releases them when the process ends, however it ends: a crash or `kill -9` never
//! leaves a stale lock behind.
//!
//! Granularity, chosen so that the long job (a sync) blocks only itself:
//! - `agencydesk.lock`, the instance lock: every open [`super::Store`] holds it shared for its
//!   whole life. Replacing or reshaping the database as a whole takes it exclusive: migrating
//!   an existing database and restoring a backup. Neither can happen under a running instance.
//! - `locks/sync-<org>.lock`: held exclusive by the process syncing that org, for the whole
//!   sync. A second sync of the same org, in any process, is refused at once with
//!   [`LockError::Busy`] (the org is reported as failed, named, with what to do); other orgs
//!   sync normally. Rebuilding the call cache takes every org's sync lock.
//! - `locks/invoices.lock`: held exclusive while an invoice is issued (its number drawn); a
//!   second issuer waits for it (briefly: issuing takes milliseconds).
//! - `demo.lock` beside the demo folder: held exclusive by a running demo for its whole life;
//!   starting a demo wipes the folder, so it needs this lock, and a second demo (the app and a
//!   `--demo` CLI run) is refused instead of wiping data under the first.
//!
//! SQLite's own locks still serialise each write transaction; these locks guard what spans
//! many transactions or replaces files.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The instance lock's file, in the data folder.
pub const INSTANCE_FILE: &str = "agencydesk.lock";
/// Folder of the finer locks, in the data folder.
const LOCK_DIR: &str = "locks";
/// The demo's lock, beside (not inside) the demo folder, which is wiped.
const DEMO_FILE: &str = "demo.lock";

/// How often a waiting lock asks again.
const POLL: Duration = Duration::from_millis(25);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{what} Wait for it to finish, or close the other agencydesk, then try again.")]
    Busy { what: String },
    #[error(
        "agencydesk could not use its lock file {path}: {source}. Check that the data folder \
         can be written to."
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Which lock, and so which file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockName {
    Instance,
    Sync { org_id: String },
    Invoices,
    Demo,
}

impl LockName {
    fn path(&self, data_dir: &Path) -> PathBuf {
        match self {
            LockName::Instance => data_dir.join(INSTANCE_FILE),
            LockName::Sync { org_id } => data_dir
                .join(LOCK_DIR)
                .join(format!("sync-{}.lock", file_safe(org_id))),
            LockName::Invoices => data_dir.join(LOCK_DIR).join("invoices.lock"),
            LockName::Demo => data_dir.join(DEMO_FILE),
        }
    }

    /// What holds the lock, as a sentence, for [`LockError::Busy`].
    fn held_by(&self, org_name: Option<&str>) -> String {
        match self {
            LockName::Instance => "Another agencydesk (the app or a CLI run) is using this data \
                                   folder, or updating or restoring its database."
                .to_owned(),
            LockName::Sync { org_id } => format!(
                "Another agencydesk (the app or a CLI run) is syncing {} right now; its calls \
                 will be in the cache when it finishes.",
                org_name.unwrap_or(org_id)
            ),
            LockName::Invoices => {
                "Another agencydesk (the app or a CLI run) is issuing an invoice.".to_owned()
            }
            LockName::Demo => "The demo agency is open in another agencydesk (the app or a CLI \
                               run with --demo); starting it here would wipe its data."
                .to_owned(),
        }
    }
}

/// An org id as a file name: kept when it is plainly safe (Vapi's ids are UUIDs), hashed
/// otherwise, so no id can name a path outside the lock folder.
fn file_safe(id: &str) -> String {
    let plain = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        id.to_owned()
    } else {
        let digest = Sha256::digest(id.as_bytes());
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMode {
    Shared,
    Exclusive,
}

/// A held lock; released when dropped (the file is closed).
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    mode: LockMode,
}

impl DataLock {
    pub fn mode(&self) -> LockMode {
        self.mode
    }

    /// Takes `name` in `data_dir`, waiting up to `wait` for other holders to let go; then
    /// [`LockError::Busy`]. `org_name` only words the error of a sync lock.
    pub fn acquire(
        data_dir: &Path,
        name: &LockName,
        mode: LockMode,
        wait: Duration,
        org_name: Option<&str>,
    ) -> Result<Self, LockError> {
        let path = name.path(data_dir);
        let file = open_lock_file(&path)?;
        let deadline = Instant::now() + wait;
        loop {
            let attempt = match mode {
                LockMode::Shared => file.try_lock_shared(),
                LockMode::Exclusive => file.try_lock(),
            };
            match attempt {
                Ok(()) => return Ok(Self { _file: file, mode }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(POLL);
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(LockError::Busy {
                        what: name.held_by(org_name),
                    })
                }
                Err(TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
            }
        }
    }

    /// [`Self::acquire`] without waiting.
    pub fn try_acquire(
        data_dir: &Path,
        name: &LockName,
        mode: LockMode,
        org_name: Option<&str>,
    ) -> Result<Self, LockError> {
        Self::acquire(data_dir, name, mode, Duration::ZERO, org_name)
    }
}

fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let io = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_org_ids_cannot_leave_the_lock_folder() {
        assert_eq!(file_safe("3f2a-b_c"), "3f2a-b_c");
        for odd in ["../../etc/passwd", "", "a/b", "ä", &"x".repeat(65)] {
            let safe = file_safe(odd);
            assert_eq!(safe.len(), 32, "{odd}");
            assert!(safe.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn exclusive_excludes_and_shared_shares_even_within_one_process() {
        let dir = tempfile::tempdir().unwrap();
        let name = LockName::Instance;
        let a = DataLock::try_acquire(dir.path(), &name, LockMode::Shared, None).unwrap();
        let b = DataLock::try_acquire(dir.path(), &name, LockMode::Shared, None).unwrap();
        let err = DataLock::try_acquire(dir.path(), &name, LockMode::Exclusive, None).unwrap_err();
        assert!(matches!(err, LockError::Busy { .. }), "{err:?}");
        drop((a, b));
        let ex = DataLock::try_acquire(dir.path(), &name, LockMode::Exclusive, None).unwrap();
        assert_eq!(ex.mode(), LockMode::Exclusive);
        let sync = LockName::Sync {
            org_id: "org-1".into(),
        };
        let _s = DataLock::try_acquire(dir.path(), &sync, LockMode::Exclusive, None).unwrap();
        let err = DataLock::try_acquire(dir.path(), &sync, LockMode::Exclusive, Some("Acme"))
            .unwrap_err();
        assert!(err.to_string().contains("syncing Acme"), "{err}");
    }
}
