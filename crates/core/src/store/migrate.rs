//! Schema migrations: timestamped `.sql` files embedded in the binary, applied in order.
//!
//! Each migration runs in its own IMMEDIATE transaction together with the row that records its
//! version, so a migration is either fully applied and recorded or not at all. A database that
//! records a version this binary does not know was written by a newer agencydesk: it is refused
//! rather than half-understood.
//!
//! To add a migration: create `migrations/<YYYYMMDDHHMMSS>_<what>.sql` and append it to
//! [`MIGRATIONS`]; a test fails if a file in the folder is missing from the list.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{time, StoreError};

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The timestamp prefix of the file name; strictly increasing.
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration this binary knows, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 20261122000000,
        name: "init",
        sql: include_str!("migrations/20261122000000_init.sql"),
    },
    Migration {
        version: 20261122100000,
        name: "billing",
        sql: include_str!("migrations/20261122100000_billing.sql"),
    },
    Migration {
        version: 20261122200000,
        name: "sync",
        sql: include_str!("migrations/20261122200000_sync.sql"),
    },
    Migration {
        version: 20261122310000,
        name: "billing_rollup",
        sql: include_str!("migrations/20261122310000_billing_rollup.sql"),
    },
    Migration {
        version: 20261122400000,
        name: "settings",
        sql: include_str!("migrations/20261122400000_settings.sql"),
    },
    Migration {
        version: 20261203100000,
        name: "call_dicts",
        sql: include_str!("migrations/20261203100000_call_dicts.sql"),
    },
    Migration {
        version: 20261205100000,
        name: "recordings",
        sql: include_str!("migrations/20261205100000_recordings.sql"),
    },
    Migration {
        version: 20261205110000,
        name: "site_scan",
        sql: include_str!("migrations/20261205110000_site_scan.sql"),
    },
    Migration {
        version: 20261205115000,
        name: "background_sync",
        sql: include_str!("migrations/20261205115000_background_sync.sql"),
    },
    Migration {
        version: 20261205120000,
        name: "export_options",
        sql: include_str!("migrations/20261205120000_export_options.sql"),
    },
    Migration {
        version: 20261205121000,
        name: "call_success",
        sql: include_str!("migrations/20261205121000_call_success.sql"),
    },
    Migration {
        version: 20261210100000,
        name: "trusted_hosts",
        sql: include_str!("migrations/20261210100000_trusted_hosts.sql"),
    },
    Migration {
        version: 20261215100000,
        name: "key_missing",
        sql: include_str!("migrations/20261215100000_key_missing.sql"),
    },
    Migration {
        version: 20261220100000,
        name: "call_search",
        sql: include_str!("migrations/20261220100000_call_search.sql"),
    },
    Migration {
        version: 20261221100000,
        name: "spend_alerts",
        sql: include_str!("migrations/20261221100000_spend_alerts.sql"),
    },
    Migration {
        version: 20261222100000,
        name: "agency_details",
        sql: include_str!("migrations/20261222100000_agency_details.sql"),
    },
    Migration {
        version: 20261230100000,
        name: "report_rollup",
        sql: include_str!("migrations/20261230100000_report_rollup.sql"),
    },
    Migration {
        version: 20261230110000,
        name: "archive_folder",
        sql: include_str!("migrations/20261230110000_archive_folder.sql"),
    },
    Migration {
        version: 20261230120000,
        name: "call_indexes",
        sql: include_str!("migrations/20261230120000_call_indexes.sql"),
    },
    Migration {
        version: 20261230120001,
        name: "search_keys",
        sql: include_str!("migrations/20261230120001_search_keys.sql"),
    },
    Migration {
        version: 20261231100000,
        name: "call_times",
        sql: include_str!("migrations/20261231100000_call_times.sql"),
    },
];

/// The newest schema version this binary knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// How many known migrations the database records, and how many it still needs. A database
/// without the bookkeeping table (a new file) records none.
pub fn status(conn: &Connection) -> Result<(usize, usize), StoreError> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |row| row.get(0),
    )?;
    if !has_table {
        return Ok((0, MIGRATIONS.len()));
    }
    let mut stmt = conn.prepare("SELECT version FROM schema_migrations")?;
    let recorded: Vec<i64> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let pending = MIGRATIONS
        .iter()
        .filter(|m| !recorded.contains(&m.version))
        .count();
    Ok((recorded.len(), pending))
}

/// Brings the database up to date with `migrations`; returns how many were applied.
pub fn run(conn: &mut Connection, migrations: &[Migration]) -> Result<usize, StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         ) STRICT;",
    )?;
    refuse_unknown_versions(conn, migrations)?;

    let mut applied = 0;
    for migration in migrations {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Checked inside the write transaction: another process may have migrated meanwhile.
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [migration.version],
                |row| row.get(0),
            )
            .optional()?;
        if done.is_some() {
            continue;
        }
        tx.execute_batch(migration.sql)
            .map_err(|source| StoreError::Migration {
                version: migration.version,
                name: migration.name,
                source,
            })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            (migration.version, migration.name, time::now()),
        )?;
        tx.commit()?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied database migration"
        );
        applied += 1;
    }
    Ok(applied)
}

pub(crate) fn refuse_unknown_versions(
    conn: &Connection,
    known: &[Migration],
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
    let recorded = stmt
        .query_map([], |row| row.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let newest_known = known.last().map_or(0, |m| m.version);
    match recorded
        .into_iter()
        .find(|v| !known.iter().any(|m| m.version == *v))
    {
        Some(found) => Err(StoreError::TooNew {
            found,
            known: newest_known,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_strictly_increase() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
    }

    /// Every `.sql` file in the folder must be listed, with the version and name its file name
    /// says, so a new file cannot be silently left out of the binary.
    #[test]
    fn every_file_in_the_folder_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(files, listed);
    }
}
