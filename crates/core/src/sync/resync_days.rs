//! Re-reading whole days of an org's calls from Vapi, for the days a reconcile found different.
//! The incremental sync only asks for calls updated since its watermark, so it never brings back
//! a call the cache lost, nor drops one Vapi deleted; this reads each day in full and makes the
//! cache's day equal to Vapi's: every call upserted (never replaced by an older version), and the
//! day's cached calls Vapi no longer has removed. One transaction per day, under the org's sync
//! lock, so it never runs beside a sync of the same org.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::value::RawValue;

use super::error::SyncError;
use super::options::SyncOptions;
use super::record::{parse_page, PageDict};
use super::writer::insert_rows;
use crate::agency::Agency;
use crate::error::CoreError;
use crate::store::lock::{LockMode, LockName};
use crate::store::{time, StoreError};
use crate::vapi::{CallFilter, VapiClient};

/// Vapi's largest page.
const PAGE: u32 = 1000;

/// Every call of the org created on `day` (UTC), paging backwards by `createdAt`.
async fn day_calls(client: &VapiClient, day: NaiveDate) -> Result<Vec<Box<RawValue>>, CoreError> {
    let start = Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN));
    let last = NaiveTime::from_hms_milli_opt(23, 59, 59, 999).unwrap_or(NaiveTime::MIN);
    let mut cursor: DateTime<Utc> = Utc.from_utc_datetime(&day.and_time(last));
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    loop {
        let filter = CallFilter {
            created_at_ge: Some(start),
            created_at_le: Some(cursor),
            limit: Some(PAGE),
            ..CallFilter::default()
        };
        let page = client.list_calls_raw(&filter).await?;
        let full = page.len() >= PAGE as usize;
        let mut oldest: Option<DateTime<Utc>> = None;
        let mut new = 0;
        for call in page {
            let head: CallHead = serde_json::from_str(call.get()).map_err(|e| {
                CoreError::InvalidInput(format!("Vapi sent a call without id or createdAt: {e}"))
            })?;
            oldest = Some(oldest.map_or(head.created_at, |o| o.min(head.created_at)));
            if seen.insert(head.id) {
                all.push(call);
                new += 1;
            }
        }
        match oldest {
            Some(t) if full && new > 0 => cursor = t,
            Some(_) if full => {
                return Err(CoreError::InvalidInput(format!(
                    "More than {PAGE} calls of {day} share one createdAt: this day cannot be read \
                     page by page. Rebuild the call cache instead (agencydesk cache rebuild)."
                )))
            }
            _ => return Ok(all),
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct CallHead {
    id: String,
    created_at: DateTime<Utc>,
}

impl Agency {
    /// Makes each of `days` (UTC) of the org's cache equal to Vapi's calls of that day. Returns
    /// how many calls were read.
    pub async fn resync_days(&self, org_id: &str, days: &[NaiveDate]) -> Result<u64, CoreError> {
        let org = self.get_client(org_id)?;
        let client = self.client_for(org_id).await?;
        let _lock = self
            .store()
            .data_lock(
                &LockName::Sync {
                    org_id: org.id.clone(),
                },
                LockMode::Exclusive,
                Duration::ZERO,
                Some(&org.name),
            )
            .map_err(|busy| CoreError::from(StoreError::from(busy)))?;
        let encoding = SyncOptions::default().raw_encoding;
        let mut read = 0;
        for &day in days {
            let page = day_calls(&client, day).await?;
            read += page.len() as u64;
            let parsed = parse_page(&org.id, &org.name, &page, encoding, PageDict::None)
                .map_err(|e: SyncError| CoreError::InvalidInput(e.to_string()))?;
            let ids: Vec<String> = parsed.rows.iter().map(|r| r.id.clone()).collect();
            let org_id = org.id.clone();
            let store = std::sync::Arc::clone(self.store());
            let from = time::day_start_ms(day);
            let to = day.succ_opt().map_or(i64::MAX, time::day_start_ms);
            crate::blocking::blocking(move || {
                Ok::<_, CoreError>(store.write(|tx| {
                    let keep: HashSet<&str> = ids.iter().map(String::as_str).collect();
                    let cached: Vec<String> = {
                        let mut stmt = tx.prepare(
                            "SELECT id FROM calls WHERE org_id = ?1
                             AND created_ms >= ?2 AND created_ms < ?3",
                        )?;
                        let rows = stmt.query_map((&org_id, from, to), |r| r.get(0))?;
                        rows.collect::<Result<_, _>>()?
                    };
                    // Past Vapi's retention a day lists nothing: the cache keeps its calls.
                    let retention: Option<u32> = tx.query_row(
                        "SELECT call_retention_days FROM client_orgs WHERE id = ?1",
                        [&org_id],
                        |r| r.get(0),
                    )?;
                    let forgotten_by_vapi = retention.is_some_and(|days| {
                        from < time::to_ms(Utc::now() - chrono::Duration::days(i64::from(days)))
                    });
                    let gone = cached
                        .iter()
                        .filter(|_| !forgotten_by_vapi)
                        .filter(|id| !keep.contains(id.as_str()));
                    for gone in gone {
                        tx.execute("DELETE FROM calls WHERE id = ?1", [gone])?;
                    }
                    insert_rows(tx, &org_id, &parsed.rows)?;
                    Ok::<_, StoreError>(())
                })?)
            })
            .await?;
        }
        Ok(read)
    }
}
