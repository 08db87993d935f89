//! One invoice as a PDF: the agency's letterhead and logo, the client, the lines, the totals, the
//! due date and how to pay. Figures come from the same [`Invoice`] the CSV exports write, through
//! the same formatting ([`format_money`]), so the PDF and the CSV never disagree.

use super::error::DocumentError;
use super::font::face;
use super::layout::{Ink, Pages, MARGIN, PAGE_W};
use super::letterhead::Letterhead;
use super::text::{one_line, wrap};
use crate::billing::invoice::{Invoice, InvoiceLine, LineUnit};
use crate::billing::money::{currency_decimals, format_decimal, format_money};

const RIGHT: f32 = PAGE_W - MARGIN;
/// Where the header's right column (title, number, dates) starts.
const META_X: f32 = 340.0;
/// Right edges of the table's figure columns; the description takes what is left of them.
const QTY_RIGHT: f32 = 360.0;
const PRICE_RIGHT: f32 = 445.0;
const DESCRIPTION_W: f32 = QTY_RIGHT - 70.0 - MARGIN;
const LOGO_MAX: (f32, f32) = (170.0, 64.0);

/// The invoice as PDF bytes. A preview (no number yet) is marked as a draft.
pub fn invoice_pdf(invoice: &Invoice, letterhead: &Letterhead) -> Result<Vec<u8>, DocumentError> {
    let face = face()?;
    let mut pages = Pages::new(face);
    let number = invoice.number.as_deref().map(one_line);
    let currency = one_line(&invoice.currency);
    let money = |amount| format_money(amount, &currency);

    let left_bottom = agency_block(&mut pages, letterhead);
    let right_bottom = meta_block(&mut pages, invoice, number.as_deref());
    pages.y = left_bottom.max(right_bottom) + 26.0;

    pages.text_at(MARGIN, pages.y, 8.5, Ink::Muted, "BILL TO");
    pages.y += 16.0;
    for line in wrap(face, &invoice.client_name, 12.0, 300.0) {
        pages.text_at(MARGIN, pages.y, 12.0, Ink::Body, &line);
        pages.y += 15.0;
    }
    let client_id = format!("Client ID {}", one_line(&invoice.client_id));
    pages.text_at(MARGIN, pages.y, 8.0, Ink::Muted, &client_id);
    pages.y += 30.0;

    table_header(&mut pages, &currency);
    for line in &invoice.lines {
        table_row(&mut pages, line, &currency);
    }

    pages.ensure(110.0);
    pages.y += 16.0;
    let label_x = META_X + 20.0;
    total_row(
        &mut pages,
        label_x,
        "Subtotal",
        &money(invoice.subtotal),
        10.0,
    );
    if let Some(tax) = &invoice.tax_rule {
        let label = format!(
            "Tax ({}, {}%)",
            one_line(&tax.code),
            format_decimal(tax.rate_percent, 0)
        );
        total_row(&mut pages, label_x, &label, &money(invoice.tax_total), 10.0);
    }
    pages.band(label_x, pages.y - 6.0, RIGHT - label_x, 0.8, 60);
    pages.y += 12.0;
    let total = format!("{currency} {}", money(invoice.total));
    total_row(&mut pages, label_x, "Total due", &total, 12.5);

    pages.y += 20.0;
    pages.ensure(40.0);
    let due = format!(
        "Payment due by {} ({} days from the issue date).",
        invoice.due_date, invoice.payment_terms_days
    );
    pages.text_at(MARGIN, pages.y, 10.0, Ink::Body, &due);
    pages.y += 24.0;
    paragraph(&mut pages, "PAYMENT DETAILS", &letterhead.payment_details);

    let title = match &number {
        Some(n) => format!("Invoice {n}"),
        None => "Draft invoice".to_owned(),
    };
    let footer_title = title.clone();
    pages.finish(&title, move |page, total| {
        format!("{footer_title} · page {page} of {total}")
    })
}

/// Logo, agency name, address, email and tax ID down the left; returns the bottom `y`.
fn agency_block(pages: &mut Pages<'_>, letterhead: &Letterhead) -> f32 {
    let face = pages.face;
    let mut y = MARGIN;
    if let Some(logo) = &letterhead.logo {
        let (w, h) = logo.fit(LOGO_MAX.0, LOGO_MAX.1);
        pages.picture(logo, (MARGIN, y), (w, h));
        y += h + 12.0;
    }
    let width = META_X - MARGIN - 20.0;
    for line in wrap(face, &letterhead.name, 14.0, width) {
        y += 15.0;
        pages.text_at(MARGIN, y, 14.0, Ink::Body, &line);
    }
    y += 4.0;
    let mut small = wrap(face, &letterhead.address, 9.0, width);
    small.extend(wrap(face, &letterhead.email, 9.0, width));
    let tax_id = one_line(&letterhead.tax_id);
    if !tax_id.is_empty() {
        small.extend(wrap(face, &format!("Tax ID {tax_id}"), 9.0, width));
    }
    for line in small {
        y += 12.0;
        pages.text_at(MARGIN, y, 9.0, Ink::Muted, &line);
    }
    y
}

/// "INVOICE", its number, dates and period down the right; returns the bottom `y`.
fn meta_block(pages: &mut Pages<'_>, invoice: &Invoice, number: Option<&str>) -> f32 {
    let mut y = MARGIN + 22.0;
    let title = if number.is_some() {
        "INVOICE"
    } else {
        "DRAFT INVOICE"
    };
    pages.text_right(RIGHT, y, 22.0, Ink::Body, title);
    y += 12.0;
    let period = invoice.period.label();
    let due = invoice.due_date.to_string();
    let issued = invoice.issue_date.to_string();
    let rows = [
        ("Invoice number", number.unwrap_or("not issued yet")),
        ("Issue date", issued.as_str()),
        ("Due date", due.as_str()),
        ("Period", period.as_str()),
    ];
    for (label, value) in rows {
        y += 15.0;
        pages.text_at(META_X, y, 9.0, Ink::Muted, label);
        pages.text_right(RIGHT, y, 10.0, Ink::Body, value);
    }
    y
}

fn table_header(pages: &mut Pages<'_>, currency: &str) {
    let y = pages.y;
    pages.band(MARGIN, y - 12.0, RIGHT - MARGIN, 18.0, 238);
    pages.text_at(MARGIN + 4.0, y, 8.5, Ink::Muted, "DESCRIPTION");
    pages.text_right(QTY_RIGHT, y, 8.5, Ink::Muted, "QUANTITY");
    pages.text_right(PRICE_RIGHT, y, 8.5, Ink::Muted, "UNIT PRICE");
    let amount = format!("AMOUNT ({currency})");
    pages.text_right(RIGHT - 4.0, y, 8.5, Ink::Muted, &amount);
    pages.y += 22.0;
}

fn table_row(pages: &mut Pages<'_>, line: &InvoiceLine, currency: &str) {
    let face = pages.face;
    let items = wrap(face, &line.item, 10.0, DESCRIPTION_W);
    let details = wrap(face, &line.description, 8.5, DESCRIPTION_W);
    let height = 13.0 * items.len() as f32 + 11.0 * details.len() as f32 + 8.0;
    if pages.ensure(height) {
        table_header(pages, currency);
    }
    let top = pages.y;
    let quantity = format!("{} {}", format_decimal(line.quantity, 0), unit(line));
    let price = format_decimal(line.unit_price, currency_decimals(currency));
    pages.text_right(QTY_RIGHT, top, 10.0, Ink::Body, quantity.trim_end());
    pages.text_right(PRICE_RIGHT, top, 10.0, Ink::Body, &price);
    let amount = format_money(line.amount, currency);
    pages.text_right(RIGHT - 4.0, top, 10.0, Ink::Body, &amount);
    for text in items {
        pages.text_at(MARGIN + 4.0, pages.y, 10.0, Ink::Body, &text);
        pages.y += 13.0;
    }
    for text in details {
        pages.text_at(MARGIN + 4.0, pages.y - 1.0, 8.5, Ink::Muted, &text);
        pages.y += 11.0;
    }
    pages.band(MARGIN, pages.y - 4.0, RIGHT - MARGIN, 0.5, 215);
    pages.y += 8.0;
}

fn unit(line: &InvoiceLine) -> &'static str {
    match line.unit {
        LineUnit::Minute => "min",
        LineUnit::Month if line.quantity == rust_decimal::Decimal::ONE => "month",
        LineUnit::Month => "months",
        LineUnit::Each => "",
    }
}

fn total_row(pages: &mut Pages<'_>, label_x: f32, label: &str, value: &str, size: f32) {
    pages.text_at(label_x, pages.y, size - 1.0, Ink::Muted, label);
    pages.text_right(RIGHT - 4.0, pages.y, size, Ink::Body, value);
    pages.y += size + 8.0;
}

/// A heading and lines of free text, moving to a new page as needed; nothing when empty.
fn paragraph(pages: &mut Pages<'_>, heading: &str, text: &str) {
    let lines = wrap(pages.face, text, 9.5, RIGHT - MARGIN);
    if lines.is_empty() {
        return;
    }
    pages.ensure(30.0);
    pages.text_at(MARGIN, pages.y, 8.5, Ink::Muted, heading);
    pages.y += 15.0;
    for line in lines {
        pages.ensure(13.0);
        pages.text_at(MARGIN, pages.y, 9.5, Ink::Body, &line);
        pages.y += 13.0;
    }
}
