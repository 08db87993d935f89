//! Charts: SVG text for the Billing tab, files for the CLI.

use std::path::PathBuf;

use crate::agency::Agency;
use crate::billing::period::Period;
use crate::blocking::blocking;
use crate::charts::{
    chart_data, chart_image, write_chart, Bucket, ChartData, ChartKind, ChartRequest, ChartScope,
};
use crate::error::CoreError;

impl Agency {
    /// One client's chart as an image URL for an `<img>` (`data:image/svg+xml;base64,...`).
    pub async fn client_chart(
        &self,
        client_id: &str,
        period: Period,
        kind: ChartKind,
        bucket: Bucket,
    ) -> Result<String, CoreError> {
        let request = ChartRequest {
            scope: ChartScope::Client(client_id.to_owned()),
            period,
            bucket,
            kind,
        };
        self.read_blocking(move |c| chart_image(c, &request)).await
    }

    /// What a chart shows, read from the cache (to draw with [`Agency::write_chart`]).
    pub async fn chart_data(&self, request: ChartRequest) -> Result<ChartData, CoreError> {
        self.read_blocking(move |c| chart_data(c, &request)).await
    }

    /// Draws `data` into `path`: SVG when the name ends in `.svg`, PNG otherwise.
    pub async fn write_chart(
        &self,
        data: ChartData,
        size: (u32, u32),
        path: PathBuf,
    ) -> Result<(), CoreError> {
        blocking(move || Ok(write_chart(&data, size, &path)?)).await
    }
}
