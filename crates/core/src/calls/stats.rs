//! Per-org totals of the cache (`agencydesk calls stats`): how many calls, their summed cost
//! (exact: integer micro-USD added by SQLite), and the newest `updatedAt` seen.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::usd::usd_text;
use crate::store::{time, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OrgCallStats {
    pub org_id: String,
    pub org_name: String,
    #[ts(type = "number")]
    pub calls: u64,
    /// USD, exact decimal text with six decimals ("1234.567890").
    pub cost_sum: String,
    #[ts(type = "number")]
    pub cost_sum_micros: i64,
    pub newest_updated_at: Option<String>,
}

/// Totals for one org (`Some(id)`; empty when agencydesk has no such org) or for every org
/// agencydesk knows, ordered by org id. Orgs without cached calls are listed with zeros.
pub fn stats(conn: &Connection, org_id: Option<&str>) -> Result<Vec<OrgCallStats>, StoreError> {
    // Correlated subqueries per org read the covering index calls_view; a join would visit
    // every call row, raw JSON included.
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.name,
                (SELECT COUNT(*) FROM calls c WHERE c.org_id = o.id),
                (SELECT COALESCE(SUM(c.cost_micros), 0) FROM calls c WHERE c.org_id = o.id),
                (SELECT MAX(c.updated_ms) FROM calls c WHERE c.org_id = o.id)
         FROM client_orgs o
         WHERE ?1 IS NULL OR o.id = ?1
         ORDER BY o.id",
    )?;
    let rows = stmt.query_map([org_id], |r| {
        let calls: i64 = r.get(2)?;
        let micros: i64 = r.get(3)?;
        Ok(OrgCallStats {
            org_id: r.get(0)?,
            org_name: r.get(1)?,
            calls: u64::try_from(calls).unwrap_or(0),
            cost_sum: usd_text(micros),
            cost_sum_micros: micros,
            newest_updated_at: r.get::<_, Option<i64>>(4)?.map(time::format_ms),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
