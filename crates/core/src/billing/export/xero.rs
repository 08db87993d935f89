//! Xero's sales invoice import (Sales > Invoices > Import), in the column order of Xero's
//! template; starred columns are the ones Xero requires. Xero recomputes each line as
//! `Quantity x UnitAmount` (so there is no amount column): the invoice builder guarantees our
//! amounts are exactly that, rounded half-up. Rows with the same `*InvoiceNumber` form one
//! invoice. Dates in the order chosen in [`ExportOptions`], which must match the Xero
//! organisation's region.

use std::io::Write;

use csv::Writer;

use super::sanitize::text;
use super::{quantity, rate, ExportOptions};
use crate::billing::error::BillingError;
use crate::billing::invoice::Invoice;

pub(super) const HEADER: [&str; 27] = [
    "*ContactName",
    "EmailAddress",
    "POAddressLine1",
    "POAddressLine2",
    "POAddressLine3",
    "POAddressLine4",
    "POCity",
    "PORegion",
    "POPostalCode",
    "POCountry",
    "*InvoiceNumber",
    "Reference",
    "*InvoiceDate",
    "*DueDate",
    "InventoryItemCode",
    "*Description",
    "*Quantity",
    "*UnitAmount",
    "Discount",
    "*AccountCode",
    "*TaxType",
    "TrackingName1",
    "TrackingOption1",
    "TrackingName2",
    "TrackingOption2",
    "Currency",
    "BrandingTheme",
];

pub(super) fn write<W: Write>(
    out: &mut Writer<W>,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<(), BillingError> {
    let date = |d| options.xero_date_format.format(d);
    out.write_record(HEADER)?;
    for invoice in invoices {
        let number = invoice.number.as_deref().unwrap_or("");
        let tax_type = match &invoice.tax_rule {
            None => options.xero_untaxed_tax_type.as_str(),
            Some(_) if !options.xero_taxed_tax_type.is_empty() => {
                options.xero_taxed_tax_type.as_str()
            }
            Some(t) => t.code.as_str(),
        };
        let reference = format!("Voice AI services, {}", invoice.period.label());
        for line in &invoice.lines {
            let empty = String::new;
            out.write_record([
                text(&invoice.client_name),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                text(number),
                text(&reference),
                date(invoice.issue_date),
                date(options.due_date(invoice)),
                empty(),
                text(&format!("{}: {}", line.item, line.description)),
                quantity(line.quantity),
                rate(line.unit_price),
                empty(),
                text(&options.xero_account_code),
                text(tax_type),
                empty(),
                empty(),
                empty(),
                empty(),
                text(&invoice.currency),
                empty(),
            ])?;
        }
    }
    Ok(())
}
