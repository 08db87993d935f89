//! What the agency prints at the top and bottom of its documents.

use super::logo::Logo;

/// The agency as its clients see it; empty text is left out of the page.
#[derive(Debug, Clone, Default)]
pub struct Letterhead {
    pub name: String,
    /// Several lines.
    pub address: String,
    pub email: String,
    pub tax_id: String,
    /// Several lines: bank, IBAN, payment link.
    pub payment_details: String,
    pub logo: Option<Logo>,
}
