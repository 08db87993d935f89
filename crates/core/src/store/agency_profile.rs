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

/// What the agency prints on the documents its clients receive. Empty text: not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencyDetails {
    /// Several lines: street, town, country.
    pub address: String,
    pub email: String,
    /// VAT number, EIN, ABN: printed as given.
    pub tax_id: String,
    /// Days from issue to due date that new pricing plans start with.
    pub payment_terms_days: u16,
    /// Several lines: bank, IBAN, payment link.
    pub payment_details: String,
    /// Invoice numbers are this prefix and a 6-digit number (`INV-000042`).
    pub invoice_prefix: String,
}

impl Default for AgencyDetails {
    fn default() -> Self {
        Self {
            address: String::new(),
            email: String::new(),
            tax_id: String::new(),
            payment_terms_days: 30,
            payment_details: String::new(),
            invoice_prefix: DEFAULT_INVOICE_PREFIX.to_owned(),
        }
    }
}

pub const DEFAULT_INVOICE_PREFIX: &str = "INV-";

/// The details and the logo's file name (in the data folder's `branding/`), defaults when the
/// agency row does not exist yet.
pub fn get_details(conn: &Connection) -> Result<(AgencyDetails, Option<String>), StoreError> {
    let row = conn
        .query_row(
            "SELECT address, email, tax_id, payment_terms_days, payment_details, invoice_prefix,
                    logo_file
             FROM agency WHERE id = 1",
            [],
            |row| {
                Ok((
                    AgencyDetails {
                        address: row.get(0)?,
                        email: row.get(1)?,
                        tax_id: row.get(2)?,
                        payment_terms_days: row.get(3)?,
                        payment_details: row.get(4)?,
                        invoice_prefix: row.get(5)?,
                    },
                    row.get(6)?,
                ))
            },
        )
        .optional()?;
    Ok(row.unwrap_or_default())
}

/// Saves the details (already checked); `false` when there is no agency row yet.
pub fn set_details(conn: &Connection, details: &AgencyDetails) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE agency SET address = ?1, email = ?2, tax_id = ?3, payment_terms_days = ?4,
                           payment_details = ?5, invoice_prefix = ?6
         WHERE id = 1",
        (
            &details.address,
            &details.email,
            &details.tax_id,
            details.payment_terms_days,
            &details.payment_details,
            &details.invoice_prefix,
        ),
    )?;
    Ok(changed > 0)
}

/// Renames the agency; `false` when there is no agency row yet.
pub fn set_name(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    let changed = conn.execute("UPDATE agency SET name = ?1 WHERE id = 1", [name])?;
    Ok(changed > 0)
}

/// Records the logo's file name (`None`: no logo); `false` when there is no agency row yet.
pub fn set_logo_file(conn: &Connection, file: Option<&str>) -> Result<bool, StoreError> {
    let changed = conn.execute("UPDATE agency SET logo_file = ?1 WHERE id = 1", [file])?;
    Ok(changed > 0)
}
