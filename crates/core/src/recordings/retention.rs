//! Vapi forgets calls after the org's `subscription.callRetentionDays`; the cache never does.
//! After each sync the retention is remembered per org, and (when the setting is on) new
//! recordings are archived; the calls whose recordings would be lost soon are listed.

use chrono::{Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::progress::{ArchiveReport, ArchiveSink};
use crate::agency::Agency;
use crate::error::CoreError;
use crate::store::{settings, time, StoreError};

/// The window of [`Agency::recordings_at_risk`] the app warns about.
pub const AT_RISK_DAYS: u32 = 7;
/// Longest list the warning carries.
const MAX_AT_RISK: usize = 500;

/// A call whose recording is not archived and that Vapi will delete soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AtRiskCall {
    pub call_id: String,
    pub org_id: String,
    pub org_name: String,
    pub created_at: String,
    /// When Vapi deletes it (createdAt + the org's retention).
    pub ages_out_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AfterSyncReport {
    /// Orgs whose retention was read from Vapi.
    pub retention_read: u32,
    /// The archive run, when "Archive new recordings after each sync" is on.
    pub archive: Option<ArchiveReport>,
}

fn at_risk(conn: &Connection, within_days: u32) -> Result<Vec<AtRiskCall>, StoreError> {
    let now = Utc::now();
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.name, o.call_retention_days FROM client_orgs o
         WHERE o.call_retention_days IS NOT NULL ORDER BY o.name, o.id",
    )?;
    let orgs = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    let mut calls = conn.prepare_cached(
        "SELECT c.id, c.created_ms FROM calls c
         WHERE c.org_id = ?1 AND c.status = 'ended' AND c.created_ms >= ?2 AND c.created_ms < ?3
           AND NOT EXISTS (SELECT 1 FROM call_recordings r WHERE r.call_id = c.id)
         ORDER BY c.created_ms, c.id LIMIT ?4",
    )?;
    for (org_id, org_name, days) in orgs {
        let retention = Duration::days(i64::from(days));
        // Still at Vapi (younger than the retention) but within `within_days` of its end.
        let gone_before = time::to_ms(now - retention);
        let risk_before = time::to_ms(now - retention + Duration::days(i64::from(within_days)));
        let rows = calls.query_map(
            (&org_id, gone_before, risk_before, MAX_AT_RISK as i64),
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )?;
        for row in rows {
            let (call_id, created_ms) = row?;
            out.push(AtRiskCall {
                call_id,
                org_id: org_id.clone(),
                org_name: org_name.clone(),
                created_at: time::format_ms(created_ms),
                ages_out_at: time::format_ms(
                    created_ms.saturating_add(retention.num_milliseconds()),
                ),
            });
        }
    }
    out.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    out.truncate(MAX_AT_RISK);
    Ok(out)
}

impl Agency {
    /// Calls whose recordings are not archived (nor known to be missing) and that Vapi deletes
    /// within `within_days`, oldest first.
    pub async fn recordings_at_risk(&self, within_days: u32) -> Result<Vec<AtRiskCall>, CoreError> {
        self.read_blocking(move |c| at_risk(c, within_days)).await
    }

    /// What follows every sync, from the app and the CLI alike: each client org's retention
    /// read from Vapi and remembered (an org that cannot be asked keeps what was known), then,
    /// with "Archive new recordings after each sync" on, the recordings not yet archived.
    pub async fn after_sync(
        &self,
        progress: ArchiveSink,
        cancel: CancellationToken,
    ) -> Result<AfterSyncReport, CoreError> {
        let mut retention_read = 0;
        for row in self.chosen_orgs(None)? {
            let org = match self.client_for(&row.id).await {
                Ok(client) => client.get_org(&row.id).await.map_err(CoreError::from),
                Err(e) => Err(e),
            };
            match org {
                Ok(org) => {
                    let days = org
                        .subscription
                        .and_then(|s| s.call_retention_days)
                        .filter(|d| d.is_finite() && *d >= 1.0)
                        .map(|d| d.min(f64::from(u32::MAX)) as u32);
                    let id = row.id.clone();
                    self.store().write(|tx| {
                        Ok::<_, CoreError>(settings::set_call_retention_days(tx, &id, days)?)
                    })?;
                    retention_read += 1;
                }
                Err(e) => tracing::warn!(org = %row.id, error = %e, "retention not read"),
            }
        }
        let on = self
            .store()
            .read(|c| Ok::<_, CoreError>(settings::archive_after_sync(c)?))?;
        let archive = if on {
            Some(
                self.archive_recordings(None, None, progress, cancel)
                    .await?,
            )
        } else {
            None
        };
        Ok(AfterSyncReport {
            retention_read,
            archive,
        })
    }
}
