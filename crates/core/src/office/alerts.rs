//! Spend alerts as the CLI and the app use them: thresholds stored per client and for
//! the agency, and a check of a month against them. Shares of a billing limit ask Vapi for each
//! such org's limit; an org Vapi cannot be asked about is reported, not guessed.

use std::sync::Arc;

use crate::agency::Agency;
use crate::billing::spend_alerts::{
    check_value, evaluate, list, mark_raised, raised_in, remove, save, spend_by_org, Limits,
};
use crate::billing::{
    AlertCheck, BillingError, CrossedThreshold, Period, SpendThreshold, ThresholdKind,
};
use crate::blocking::blocking;
use crate::error::CoreError;

impl Agency {
    pub async fn spend_thresholds(&self) -> Result<Vec<SpendThreshold>, CoreError> {
        self.read_blocking(list).await
    }

    /// Sets (or replaces) a threshold: of a client org (`Some(id)`) or of the whole agency.
    pub async fn set_spend_threshold(
        &self,
        org_id: Option<String>,
        kind: ThresholdKind,
        value: &str,
    ) -> Result<Vec<SpendThreshold>, CoreError> {
        let value = check_value(kind, value)?;
        let store = Arc::clone(self.store());
        blocking(move || {
            Ok(store.write(|tx| {
                save(tx, org_id.as_deref(), kind, value)?;
                list(tx)
            })?)
        })
        .await
    }

    /// Removes a threshold; true if there was one.
    pub async fn clear_spend_threshold(
        &self,
        org_id: Option<String>,
        kind: ThresholdKind,
    ) -> Result<bool, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || Ok(store.write(|tx| remove(tx, org_id.as_deref(), kind))?)).await
    }

    /// After a sync: this month's check ([`Self::check_spend_alerts`]), or `None` when no
    /// threshold is set (nothing asked of Vapi).
    pub async fn check_spend_alerts_after_sync(&self) -> Result<Option<AlertCheck>, CoreError> {
        if self.spend_thresholds().await?.is_empty() {
            return Ok(None);
        }
        let month = Period::month_of(chrono::Utc::now().date_naive())?;
        Ok(Some(self.check_spend_alerts(month).await?))
    }

    /// The thresholds that raised their alert in the period's month and are still set: what the
    /// app marks (a client row, the agency total). Reads only: nothing is marked raised here.
    pub async fn spend_alert_marks(
        &self,
        period: Period,
    ) -> Result<Vec<SpendThreshold>, CoreError> {
        let month = period.validated()?.from.format("%Y-%m").to_string();
        self.read_blocking(move |c| raised_in(c, &month)).await
    }

    /// The thresholds the period's spend (from the cache) has reached; each is marked raised
    /// for the period, so `first_time` is true once per threshold and period.
    pub async fn check_spend_alerts(&self, period: Period) -> Result<AlertCheck, CoreError> {
        let period = period.validated()?;
        let thresholds = self.spend_thresholds().await?;
        let mut limits = Limits::new();
        for t in &thresholds {
            if let (ThresholdKind::LimitShare, Some(id)) = (t.kind, &t.org_id) {
                let limit = self
                    .billing_limits(id)
                    .await
                    .map(|l| l.billing_limit)
                    .map_err(|e| e.to_string());
                limits.insert(id.clone(), limit);
            }
        }
        let store = Arc::clone(self.store());
        let month = period.from.format("%Y-%m").to_string();
        blocking(move || {
            let spend = store.read(|c| spend_by_org(c, &period))?;
            let (reached, unchecked) = evaluate(&thresholds, &spend, &limits);
            let crossed = store.write(|tx| {
                reached
                    .into_iter()
                    .map(|(threshold, spent, at)| {
                        let first_time = mark_raised(tx, threshold.id, &month)?;
                        Ok(CrossedThreshold {
                            threshold,
                            spent,
                            at,
                            first_time,
                        })
                    })
                    .collect::<Result<Vec<_>, BillingError>>()
            })?;
            Ok(AlertCheck {
                month,
                crossed,
                unchecked,
            })
        })
        .await
    }
}
