//! The generic CSV: every client-facing field of every line, ISO 8601 dates (`2026-10-31`).

use std::io::Write;

use csv::Writer;

use super::sanitize::text;
use super::{amount, quantity, rate};
use crate::billing::error::BillingError;
use crate::billing::invoice::{Invoice, LineKind, LineUnit};

pub(super) const HEADER: [&str; 19] = [
    "InvoiceNumber",
    "ClientId",
    "ClientName",
    "PeriodFrom",
    "PeriodTo",
    "IssueDate",
    "DueDate",
    "Currency",
    "LineNumber",
    "LineKind",
    "Item",
    "Description",
    "Quantity",
    "Unit",
    "UnitPrice",
    "Amount",
    "TaxCode",
    "TaxAmount",
    "LineTotal",
];

pub(super) fn write<W: Write>(
    out: &mut Writer<W>,
    invoices: &[Invoice],
) -> Result<(), BillingError> {
    out.write_record(HEADER)?;
    for invoice in invoices {
        let tax_code = invoice.tax_rule.as_ref().map_or("", |t| t.code.as_str());
        for (i, line) in invoice.lines.iter().enumerate() {
            out.write_record([
                text(invoice.number.as_deref().unwrap_or("")),
                text(&invoice.client_id),
                text(&invoice.client_name),
                invoice.period.from.to_string(),
                invoice.period.to.to_string(),
                invoice.issue_date.to_string(),
                invoice.due_date.to_string(),
                text(&invoice.currency),
                (i + 1).to_string(),
                kind_name(line.kind).to_owned(),
                text(&line.item),
                text(&line.description),
                quantity(line.quantity),
                unit_name(line.unit).to_owned(),
                rate(line.unit_price),
                amount(line.amount, &invoice.currency),
                text(tax_code),
                amount(line.tax_amount, &invoice.currency),
                amount(line.amount + line.tax_amount, &invoice.currency),
            ])?;
        }
    }
    Ok(())
}

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Usage => "usage",
        LineKind::Minutes => "minutes",
        LineKind::MonthlyFee => "monthly_fee",
        LineKind::Overage => "overage",
        LineKind::Adjustment => "adjustment",
    }
}

fn unit_name(unit: LineUnit) -> &'static str {
    match unit {
        LineUnit::Minute => "minute",
        LineUnit::Month => "month",
        LineUnit::Each => "each",
    }
}
