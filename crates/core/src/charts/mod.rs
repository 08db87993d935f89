//! Cost charts: per client or across clients, per day or per month, rendered by plotters to SVG
//! (a string the UI inlines) and PNG (bytes for export).
//!
//! [`chart_data`] aggregates in SQLite; [`render_svg`] and [`render_png`] draw the result. A
//! period without calls renders an explicit "No calls in this period" chart.

pub mod daily_calls;
pub mod data;
pub mod error;
pub mod file;
pub mod font;
pub mod inline;
pub mod output;
pub mod render;
pub mod size;

pub use daily_calls::daily_calls_svg;
pub use data::{chart_data, Bucket, BucketRow, ChartData, ChartKind, ChartRequest, ChartScope};
pub use error::ChartError;
pub use file::write_chart;
pub use inline::{chart_image, chart_svg, inert_svg, svg_data_url, SVG_DATA_URL_PREFIX};
pub use output::{render_png, render_svg};
pub use size::DEFAULT_SIZE;
