//! The agency overview: every client's Vapi cost, billed amount and margin for one period, the
//! totals, alerts that need the owner, and a chart across clients.

use chrono::Utc;

use crate::agency::Agency;
use crate::billing::overview::{overview_figures, parse_spend_alert, AgencyOverview};
use crate::billing::period::Period;
use crate::charts::{chart_image, Bucket, ChartKind, ChartRequest, ChartScope};
use crate::error::CoreError;

impl Agency {
    /// `spend_alert_usd` as typed ("250", "$99.5"; empty for none): a client whose Vapi cost
    /// passes it in the period raises an alert. `chart` is what the chart across clients shows,
    /// per day.
    pub async fn agency_overview(
        &self,
        period: Period,
        spend_alert_usd: Option<String>,
        chart: ChartKind,
    ) -> Result<AgencyOverview, CoreError> {
        let spend_alert_usd = parse_spend_alert(spend_alert_usd.as_deref())?;
        self.read_blocking(move |c| {
            let figures = overview_figures(c, period, spend_alert_usd, Utc::now())?;
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
