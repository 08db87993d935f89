//! The single `agency` row: the agency's name and whether it runs live or as the demo.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum AgencyMode {
    /// Real Vapi orgs, keys in the OS keychain.
    Live,
    /// The bundled simulator with throwaway keys held in memory.
    Demo,
}

impl AgencyMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyMode::Live => "live",
            AgencyMode::Demo => "demo",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencyProfile {
    pub name: String,
    pub mode: AgencyMode,
    pub created_at: String,
}

/// The profile in the database file at `database`, read without opening a store (no lock, no
/// checks, nothing written): whether a data folder holds an agency at all.
pub fn peek(database: &std::path::Path) -> Result<Option<AgencyProfile>, StoreError> {
    let conn = Connection::open_with_flags(
        database,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    get(&conn)
}

pub fn get(conn: &Connection) -> Result<Option<AgencyProfile>, StoreError> {
    let row = conn
        .query_row(
            "SELECT name, mode, created_at FROM agency WHERE id = 1",
            [],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get(2)?,
                ))
            },
        )
        .optional()?;
    row.map(|(name, mode, created_at)| {
        let mode = match mode.as_str() {
            "live" => AgencyMode::Live,
            "demo" => AgencyMode::Demo,
            other => {
                return Err(StoreError::Corrupt {
                    what: format!("agency mode {other:?}"),
                })
            }
        };
        Ok(AgencyProfile {
            name,
            mode,
            created_at,
        })
    })
    .transpose()
}

/// Sets name and mode; `created_at` is kept from the first call.
pub fn set(conn: &Connection, name: &str, mode: AgencyMode, now: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO agency (id, name, mode, created_at) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, mode = excluded.mode",
        (name, mode.as_str(), now),
    )?;
    Ok(())
}
