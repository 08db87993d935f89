//! The agency overview: every client's Vapi cost, billed amount and margin for one period, the
//! totals, alerts that need the owner, and a chart across clients.

use chrono::Utc;

use crate::agency::Agency;
use crate::billing::overview::{overview_figures, AgencyOverview};
use crate::billing::period::Period;
use crate::charts::{chart_image, Bucket, ChartKind, ChartRequest, ChartScope};
use crate::error::CoreError;

impl Agency {
    /// A client whose Vapi cost in the period passes its spend threshold in USD raises an
    /// alert. `chart` is what the chart across clients shows, per day.
    pub async fn agency_overview(
        &self,
        period: Period,
        chart: ChartKind,
    ) -> Result<AgencyOverview, CoreError> {
        self.read_blocking(move |c| {
            let figures = overview_figures(c, period, Utc::now())?;
            let request = ChartRequest {
                scope: ChartScope::AllClients,
                period: figures.period,
                bucket: Bucket::Day,
                kind: chart,
            };
            let image = chart_image(c, &request)?;
            Ok::<_, CoreError>(figures.with_chart(image))
        })
        .await
    }
}
