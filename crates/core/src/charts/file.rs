//! Charts written to a file (the CLI's `chart --out`): PNG, or SVG held to the same rules as
//! the SVG the UI inlines.

use std::path::Path;

use super::data::ChartData;
use super::error::ChartError;
use super::inline::inert_svg;
use super::output::{render_png, render_svg};
use crate::write_error::WriteError;

/// Draws the chart into `path`: SVG when the name ends in `.svg`, PNG otherwise.
pub fn write_chart(data: &ChartData, size: (u32, u32), path: &Path) -> Result<(), ChartError> {
    let is_svg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let bytes = if is_svg {
        inert_svg(render_svg(data, size)?)?.into_bytes()
    } else {
        render_png(data, size)?
    };
    std::fs::write(path, bytes).map_err(|e| WriteError::new(path, &e).into())
}
