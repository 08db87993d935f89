//! Invoice CSV exports: a generic one, QuickBooks Online's invoice import and Xero's sales
//! invoice import. One row per invoice line, the invoice fields repeated on each row (both
//! importers group rows into invoices by invoice number). Several invoices can share one file.
//!
//! Files are UTF-8 without a byte-order mark (both importers read UTF-8; a BOM would become part
//! of the first header name for some readers) with RFC 4180 quoting and CRLF line ends.
//! Only [`Invoice`] is exported, so the owner's cost and margin cannot leak into a file.

mod generic;
mod options;
pub mod options_store;
mod qbo;
pub mod sanitize;
mod xero;

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use super::invoice::Invoice;
use super::money::{format_decimal, format_money};
pub use options::{DateFormat, ExportOptions, MAX_DUE_DAYS};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ExportFormat {
    /// Every field, ISO dates; also accepts draft (unnumbered) invoices.
    Generic,
    /// QuickBooks Online, Sales > Invoices > Import invoices.
    Qbo,
    /// Xero, Sales > Invoices > Import.
    Xero,
    /// A PDF per invoice, for the client (drawn by `crate::documents`, not a CSV).
    Pdf,
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Generic => "generic",
            Self::Qbo => "QuickBooks Online",
            Self::Xero => "Xero",
            Self::Pdf => "PDF",
        }
    }

    /// The file extension of the format's files.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Generic | Self::Qbo | Self::Xero => "csv",
        }
    }

    /// Parses the CLI's `--format generic|qbo|xero|pdf`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "generic" => Some(Self::Generic),
            "qbo" | "quickbooks" => Some(Self::Qbo),
            "xero" => Some(Self::Xero),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
}

/// Writes `invoices` as one CSV in `format`.
pub fn write_invoices<W: Write>(
    out: W,
    format: ExportFormat,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<(), BillingError> {
    if format != ExportFormat::Generic && invoices.iter().any(|i| i.number.is_none()) {
        return Err(BillingError::DraftNotExportable {
            format: format.name(),
        });
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    match format {
        ExportFormat::Generic => generic::write(&mut writer, invoices)?,
        ExportFormat::Qbo => qbo::write(&mut writer, invoices, options)?,
        ExportFormat::Xero => xero::write(&mut writer, invoices, options)?,
        ExportFormat::Pdf => {
            return Err(BillingError::Refused(
                "PDF invoices are documents, not CSV files.".into(),
            ))
        }
    }
    writer.flush()?;
    Ok(())
}

/// The CSV as bytes.
pub fn export_to_vec(
    format: ExportFormat,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<Vec<u8>, BillingError> {
    let mut bytes = Vec::new();
    write_invoices(&mut bytes, format, invoices, options)?;
    Ok(bytes)
}

/// Writes the CSV to `path` (the file a save dialog chose), replacing it only once the whole file
/// is written: a failure never leaves a half-written export behind.
pub fn export_to_file(
    path: &Path,
    format: ExportFormat,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<(), BillingError> {
    let bytes = export_to_vec(format, invoices, options)?;
    crate::atomic_file::write(path, &bytes)?;
    Ok(())
}

/// A file name for the save dialog: `invoices-2026-10-01_2026-10-31-qbo.csv`.
pub fn suggested_file_name(format: ExportFormat, from: NaiveDate, to: NaiveDate) -> String {
    let tag = match format {
        ExportFormat::Generic => "generic",
        ExportFormat::Qbo => "qbo",
        ExportFormat::Xero => "xero",
        ExportFormat::Pdf => "pdf",
    };
    format!("invoices-{from}_{to}-{tag}.{}", format.extension())
}

// Cell helpers shared by the formats.

/// An amount with the decimals of `currency` (none for JPY).
fn amount(value: Decimal, currency: &str) -> String {
    format_money(value, currency)
}

fn quantity(value: Decimal) -> String {
    format_decimal(value, 0)
}

fn rate(value: Decimal) -> String {
    format_decimal(value, 2)
}
