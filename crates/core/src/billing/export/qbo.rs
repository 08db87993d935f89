//! QuickBooks Online's invoice import (Sales > Invoices > Import invoices). The column names are
//! the ones its importer maps automatically; it groups rows into invoices by `InvoiceNo`
//! (custom transaction numbers must be on in QuickBooks for the numbers to be kept). Dates in the
//! order chosen in [`ExportOptions`], which must match the format picked in the import dialog.

use std::io::Write;

use csv::Writer;

use super::sanitize::text;
use super::{amount, quantity, rate, ExportOptions};
use crate::billing::error::BillingError;
use crate::billing::invoice::Invoice;

pub(super) const HEADER: [&str; 15] = [
    "InvoiceNo",
    "Customer",
    "InvoiceDate",
    "DueDate",
    "Terms",
    "Memo",
    "Item(Product/Service)",
    "ItemDescription",
    "ItemQuantity",
    "ItemRate",
    "ItemAmount",
    "ItemTaxCode",
    "ItemTaxAmount",
    "Currency",
    "ServiceDate",
];

pub(super) fn write<W: Write>(
    out: &mut Writer<W>,
    invoices: &[Invoice],
    options: &ExportOptions,
) -> Result<(), BillingError> {
    let date = |d| options.qbo_date_format.format(d);
    out.write_record(HEADER)?;
    for invoice in invoices {
        let number = invoice.number.as_deref().unwrap_or("");
        let tax_code = invoice
            .tax_rule
            .as_ref()
            .map_or(options.qbo_untaxed_tax_code.as_str(), |t| t.code.as_str());
        let terms = match options.terms_days(invoice) {
            0 => "Due on receipt".to_owned(),
            days => format!("Net {days}"),
        };
        let memo = format!("Voice AI services, {}", invoice.period.label());
        for line in &invoice.lines {
            out.write_record([
                text(number),
                text(&invoice.client_name),
                date(invoice.issue_date),
                date(options.due_date(invoice)),
                text(&terms),
                text(&memo),
                text(&line.item),
                text(&line.description),
                quantity(line.quantity),
                rate(line.unit_price),
                amount(line.amount, &invoice.currency),
                text(tax_code),
                amount(line.tax_amount, &invoice.currency),
                text(&invoice.currency),
                date(invoice.period.to),
            ])?;
        }
    }
    Ok(())
}
