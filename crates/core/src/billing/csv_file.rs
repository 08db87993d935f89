//! Writing invoices to a CSV file the person chose, with a write failure that says what to do.

use std::path::Path;

use super::error::BillingError;
use super::export::{export_to_file, ExportFormat, ExportOptions};
use super::invoice::Invoice;
use crate::write_error::WriteError;

pub fn write_csv(
    path: &Path,
    format: ExportFormat,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<(), BillingError> {
    export_to_file(path, format, invoices, options).map_err(|e| match e {
        BillingError::Io(io) => WriteError::new(path, &io).into(),
        other => other,
    })
}
