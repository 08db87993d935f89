//! The one error type of the charts module.

use plotters::drawing::DrawingAreaErrorKind;

use super::size::{MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};
use crate::billing::BillingError;
use crate::store::StoreError;
use crate::write_error::WriteError;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error(transparent)]
    Billing(#[from] BillingError),

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("a chart of {width}x{height} pixels is outside the supported {min_w}x{min_h} to {max}x{max}",
        min_w = MIN_WIDTH, min_h = MIN_HEIGHT, max = MAX_SIDE)]
    InvalidSize { width: u32, height: u32 },

    #[error("drawing the chart failed: {0}")]
    Draw(String),

    #[error("the bundled chart font could not be loaded")]
    Font,

    #[error("encoding the PNG failed: {0}")]
    Png(#[from] png::EncodingError),

    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),

    /// The SVG held something that could run code or load content when inlined (see `inline`).
    #[error("The chart came out with unexpected markup ({0}); it was not shown.")]
    UnsafeMarkup(&'static str),

    #[error(transparent)]
    Write(#[from] WriteError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Self::Draw(e.to_string())
    }
}
