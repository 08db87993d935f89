//! `POST /analytics` over the `call` table: Vapi's own totals of an org's calls, bucketed by a
//! time step. A read: retried like a GET, since repeating it changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::client::{Replay, Request, VapiClient};
use super::error::VapiError;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsQuery {
    pub name: String,
    /// `call` (Vapi also has `subscription`).
    pub table: String,
    pub time_range: AnalyticsTimeRange,
    pub operations: Vec<AnalyticsOperation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsTimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub step: String,
    pub timezone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnalyticsOperation {
    /// `sum`, `avg`, `count`, `min`, `max`.
    pub operation: String,
    /// `cost`, `duration`, `id`, `costBreakdown.llm`, ...
    pub column: String,
    pub alias: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AnalyticsResult {
    #[serde(default)]
    pub name: String,
    /// One object per bucket and group: `date`, the group columns, one value per alias.
    #[serde(default)]
    pub result: Vec<Map<String, Value>>,
}

/// The UTC day of a bucket's `date` (`2026-10-01T00:00:00.000Z` or `2026-10-01`).
pub fn bucket_day(row: &Map<String, Value>) -> Option<NaiveDate> {
    let text = row.get("date")?.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc).date_naive())
        .ok()
        .or_else(|| NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok())
}

/// A bucket's number under `alias`: Vapi may send a number, a numeric string (Postgres
/// numerics), or `null` for an empty aggregate.
pub fn bucket_number(row: &Map<String, Value>, alias: &str) -> Option<f64> {
    match row.get(alias)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(Serialize)]
struct Body<'a> {
    queries: &'a [AnalyticsQuery],
}

impl VapiClient {
    /// Runs the queries; one result per query, in Vapi's order.
    pub async fn analytics(
        &self,
        queries: &[AnalyticsQuery],
    ) -> Result<Vec<AnalyticsResult>, VapiError> {
        let body =
            serde_json::to_vec(&Body { queries }).map_err(|e| VapiError::InvalidResponse {
                detail: format!("could not encode the request: {e}"),
            })?;
        self.send(Request {
            method: Method::POST,
            path: &["analytics"],
            query: Vec::new(),
            body: Some(body),
            what: "analytics",
            replay: Replay::Safe,
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_read_dates_and_numbers_in_either_form() {
        let row: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "date": "2026-10-01T00:00:00.000Z", "sumCost": "1.25", "countId": 3, "avgCost": null
        }))
        .unwrap();
        assert_eq!(bucket_day(&row), NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(bucket_number(&row, "sumCost"), Some(1.25));
        assert_eq!(bucket_number(&row, "countId"), Some(3.0));
        assert_eq!(bucket_number(&row, "avgCost"), None);
        let plain: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"date": "2026-10-02"})).unwrap();
        assert_eq!(bucket_day(&plain), NaiveDate::from_ymd_opt(2026, 10, 2));
    }
}
