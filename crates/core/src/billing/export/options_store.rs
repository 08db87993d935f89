//! The `export_options` row (see its migration): the options as last saved, or the defaults.

use rusqlite::{Connection, OptionalExtension};

use super::options::{DateFormat, ExportOptions};
use crate::store::StoreError;

pub fn get(conn: &Connection) -> Result<ExportOptions, StoreError> {
    let row = conn
        .query_row(
            "SELECT qbo_date_format, xero_date_format, xero_account_code, xero_taxed_tax_type,
                    xero_untaxed_tax_type, qbo_untaxed_tax_code, due_days
             FROM export_options WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    ExportOptions {
                        xero_account_code: r.get(2)?,
                        xero_taxed_tax_type: r.get(3)?,
                        xero_untaxed_tax_type: r.get(4)?,
                        qbo_untaxed_tax_code: r.get(5)?,
                        due_days: r.get(6)?,
                        ..ExportOptions::default()
                    },
                ))
            },
        )
        .optional()?;
    let Some((qbo, xero, options)) = row else {
        return Ok(ExportOptions::default());
    };
    let format = |text: &str| {
        DateFormat::parse(text).ok_or_else(|| StoreError::Corrupt {
            what: format!("export date format {text:?}"),
        })
    };
    Ok(ExportOptions {
        qbo_date_format: format(&qbo)?,
        xero_date_format: format(&xero)?,
        ..options
    })
}

/// Saves options already checked by [`ExportOptions::checked`].
pub fn set(conn: &Connection, options: &ExportOptions, now: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO export_options (id, qbo_date_format, xero_date_format, xero_account_code,
             xero_taxed_tax_type, xero_untaxed_tax_type, qbo_untaxed_tax_code, due_days,
             updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET
             qbo_date_format = excluded.qbo_date_format,
             xero_date_format = excluded.xero_date_format,
             xero_account_code = excluded.xero_account_code,
             xero_taxed_tax_type = excluded.xero_taxed_tax_type,
             xero_untaxed_tax_type = excluded.xero_untaxed_tax_type,
             qbo_untaxed_tax_code = excluded.qbo_untaxed_tax_code,
             due_days = excluded.due_days,
             updated_at = excluded.updated_at",
        (
            options.qbo_date_format.as_str(),
            options.xero_date_format.as_str(),
            &options.xero_account_code,
            &options.xero_taxed_tax_type,
            &options.xero_untaxed_tax_type,
            &options.qbo_untaxed_tax_code,
            options.due_days,
            now,
        ),
    )?;
    Ok(())
}
