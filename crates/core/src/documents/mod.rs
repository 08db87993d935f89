//! Documents the client receives, as PDF: an issued invoice and the monthly report, with the
//! agency's letterhead.
//!
//! Drawn with krilla over the bundled DejaVu Sans (the charts' font): the font is embedded as a
//! subset with a ToUnicode map, so every word is selectable and searchable, and text is placed as
//! glyphs, never interpreted, so a client named `) Tj (` or `<script>` prints as those characters.
//! Built only from [`crate::billing::Invoice`] and [`crate::reports::ClientMonth`], never from the
//! owner's figures, so no cost or margin can reach a client's document. A leaf: it knows nothing
//! of `Agency` or the store.

mod error;
mod font;
mod invoice_pdf;
mod layout;
mod letterhead;
mod logo;
mod report_pdf;
mod text;

pub use error::DocumentError;
pub use invoice_pdf::invoice_pdf;
pub use letterhead::Letterhead;
pub use logo::{Logo, LogoKind, MAX_LOGO_BYTES};
pub use report_pdf::report_pdf;
