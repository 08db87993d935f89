//! The local SQLite database (`agencydesk.sqlite` in the data folder). It holds what agencydesk
//! knows about orgs, assistants, tokens and calls, and never a secret.
//!
//! One connection behind a mutex: the app's writes are short, and SQLite serializes writers
//! anyway. Long jobs (call sync) should batch their writes into few transactions.

pub mod agency_profile;
pub mod assistants;
pub mod call_dicts;
pub mod clients;
pub mod migrate;
pub mod settings;
pub mod sync_state;
pub mod time;
pub mod tokens;
pub mod trusted_hosts;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

/// How long a statement waits for another connection's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// WAL pages between automatic checkpoints: SQLite's default, and during bulk writes
/// ([`Store::bulk_writes`]) 64 MiB of 4 KiB pages.
const CHECKPOINT_PAGES: i64 = 1000;
const BULK_CHECKPOINT_PAGES: i64 = 16_384;
/// SQLite's page cache: its default, and during bulk writes room for the pages a batch of a
/// few thousand calls dirties (index pages with random keys, like the call id's, included),
/// so they are written once at commit rather than spilled and rewritten.
const CACHE_KIB: i64 = 2_000;
const BULK_CACHE_KIB: i64 = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "agencydesk could not open its database at {path}: {source}. Check that the folder \
         exists and can be written to."
    )]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "This agencydesk data was written by a newer version of agencydesk (database version \
         {found}; this version knows up to {known}). Install the latest agencydesk, or start \
         this one with another data folder (AGENCYDESK_DATA_DIR)."
    )]
    TooNew { found: i64, known: i64 },
    #[error(
        "Updating agencydesk's database (step {version}, {name}) failed: {source}. The database \
         was left as it was before the update."
    )]
    Migration {
        version: i64,
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("agencydesk's database reported an error: {0}. Try again; restart agencydesk if it persists.")]
    Sqlite(#[from] rusqlite::Error),
    #[error("agencydesk found unreadable data in its database ({what}). Refreshing the org may repair it.")]
    Corrupt { what: String },
}

pub struct Store {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// The database file name inside the data folder.
    pub const FILE_NAME: &'static str = "agencydesk.sqlite";

    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        Self::prepare(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database (tests, throwaway demo data).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, StoreError> {
        configure(&conn)?;
        migrate::run(&mut conn, migrate::MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The database file, `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` with the connection (reads, or single statements that need no transaction).
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        f(&self.lock())
    }

    /// Runs `f` in an IMMEDIATE transaction, committed if `f` succeeds and rolled back if it fails.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f`, a long run of write transactions (the call sync), with a larger page cache and
    /// checkpointing the WAL into the database every 64 MiB instead of every 4 MiB, then
    /// checkpoints the rest and truncates the WAL. Each checkpoint ends with an fsync, and on a busy disk the fsync,
    /// not the copy, is what costs: measured on a full sync of 200k calls with other builds
    /// running, 194 fsyncs took 17 s of the writer's time.
    pub fn bulk_writes<T>(&self, f: impl FnOnce() -> T) -> T {
        let set = |pages: i64, cache_kib: i64| {
            let conn = self.lock();
            let set = conn
                .pragma_update(None, "wal_autocheckpoint", pages)
                .and_then(|()| conn.pragma_update(None, "cache_size", -cache_kib));
            if let Err(e) = set {
                tracing::warn!(error = %e, "could not set the bulk write settings");
            }
        };
        set(BULK_CHECKPOINT_PAGES, BULK_CACHE_KIB);
        let out = f();
        set(CHECKPOINT_PAGES, CACHE_KIB);
        // Busy (a reader in another process) only means the WAL stays until a later checkpoint.
        let checkpoint = self
            .lock()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        if let Err(e) = checkpoint {
            tracing::debug!(error = %e, "WAL checkpoint after bulk writes skipped");
        }
        out
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside `read`/`write` drops its transaction (rolling it back) before the lock
        // is released, so the connection behind a poisoned lock is still consistent.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Deletes the rows of `table` (a table with `id` and `org_id` columns, named by our code, never
/// by input) that belong to `org_id` and are not in `keep`.
fn delete_others(
    tx: &Transaction<'_>,
    table: &'static str,
    org_id: &str,
    keep: &[&str],
) -> Result<(), StoreError> {
    let existing: Vec<String> = {
        let mut stmt = tx.prepare(&format!("SELECT id FROM {table} WHERE org_id = ?1"))?;
        let ids = stmt.query_map([org_id], |row| row.get(0))?;
        ids.collect::<Result<_, _>>()?
    };
    let keep: std::collections::HashSet<&str> = keep.iter().copied().collect();
    let mut delete = tx.prepare(&format!("DELETE FROM {table} WHERE id = ?1"))?;
    for id in existing.iter().filter(|id| !keep.contains(id.as_str())) {
        delete.execute([id])?;
    }
    Ok(())
}

/// Settings every connection gets: WAL so readers never block the writer, synchronous=NORMAL
/// (durable across application crashes; WAL keeps the file consistent across power loss),
/// foreign keys enforced, and a busy timeout instead of failing at once when another
/// connection (another window, a CLI run) holds the write lock.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // journal_mode answers with the mode in effect; in-memory databases stay "memory".
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Every upsert into `calls` fires the rollup triggers, so SQLite keeps a statement journal
    // of each page the statement touches; past 64 KiB in a transaction that journal spills to a
    // temporary file. Measured on a full sync of 200k calls: 8.4 GB written to /var/tmp for a
    // 296 MB database, most of the writer's system time. In memory it is a page copy.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}
