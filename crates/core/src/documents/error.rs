//! Why a document could not be made.

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The bundled font could not be read (a broken build, never user input).
    #[error("the bundled font could not be loaded")]
    Font,
    /// A logo file that is not a PNG or SVG agencydesk can draw; the text says what to do.
    #[error("{0}")]
    Logo(String),
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
