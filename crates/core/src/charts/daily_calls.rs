//! The client report's chart: calls per day of one month, as SVG (the PDF draws it as vectors).
//! Counts only: the report shows no cost.

use chrono::NaiveDate;
use plotters::prelude::*;

use super::error::ChartError;
use super::font::{self, FAMILY};

const BAR: RGBColor = RGBColor(0x4E, 0x79, 0xA7);

/// Calls per day as an SVG document of `width` x `height` pixels.
pub fn daily_calls_svg(
    days: &[(NaiveDate, i64)],
    (width, height): (u32, u32),
) -> Result<String, ChartError> {
    super::render::check_size(width, height)?;
    font::ensure_registered()?;
    let count = i32::try_from(days.len()).unwrap_or(i32::MAX).max(1);
    let most = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let top = most + (most / 8).max(1);
    let labels: Vec<String> = days
        .iter()
        .map(|(d, _)| d.format("%-d").to_string())
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(34)
            .y_label_area_size(48)
            .build_cartesian_2d((0..count).into_segmented(), 0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(days.len().min(31))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| labels.get(i).cloned())
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .y_desc("Calls")
            .x_desc("Day of the month (UTC)")
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
            .draw()?;
        chart.draw_series(
            Histogram::vertical(&chart)
                .style(BAR.filled())
                .margin(2)
                .data(
                    days.iter()
                        .enumerate()
                        .map(|(i, d)| (i32::try_from(i).unwrap_or(0), d.1)),
                ),
        )?;
        root.present()?;
    }
    Ok(svg)
}
