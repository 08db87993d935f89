//! The one error type of the charts module.

use plotters::drawing::DrawingAreaErrorKind;

use crate::billing::BillingError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error(transparent)]
    Billing(#[from] BillingError),

    #[error(transparent)]
    Store(#[from] StoreError),

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("a chart of {width}x{height} pixels is outside the supported {min_w}x{min_h} to {max}x{max}",
        min_w = super::render::MIN_WIDTH, min_h = super::render::MIN_HEIGHT, max = super::render::MAX_SIDE)]
    InvalidSize { width: u32, height: u32 },

    #[error("drawing the chart failed: {0}")]
    Draw(String),

    #[error("the bundled chart font could not be loaded")]
    Font,

    #[error("encoding the PNG failed: {0}")]
    Png(#[from] png::EncodingError),

    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Self::Draw(e.to_string())
    }
}
