//! Spend alerts: monthly thresholds on what client orgs cost (Vapi's cost of their calls, read
//! from the cache's `calls_daily`), stored in `spend_thresholds`, and which of them a month has
//! crossed. Each threshold raises its alert once per month (`spend_alerts_raised`).
//!
//! A share of the billing limit needs the limit, which only Vapi knows: the caller asks Vapi and
//! passes the limits in ([`evaluate`]).

use std::collections::HashMap;
use std::str::FromStr;

use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use super::period::Period;
use crate::store::{clients, time};

/// Highest amount threshold, USD a month: catches a typo of extra digits.
const MAX_AMOUNT_USD: i64 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ThresholdKind {
    /// USD a month.
    Amount,
    /// A percentage of the org's billingLimit at Vapi.
    LimitShare,
}

impl ThresholdKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Amount => "amount",
            Self::LimitShare => "limit_share",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "amount" => Some(Self::Amount),
            "limit_share" => Some(Self::LimitShare),
            _ => None,
        }
    }
}

/// A stored threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SpendThreshold {
    #[serde(skip)]
    pub id: i64,
    /// `null`: the whole agency (all client orgs together).
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub kind: ThresholdKind,
    /// USD, or percent for a share of the billing limit.
    #[ts(type = "string")]
    pub value: Decimal,
}

/// A threshold the month's spend has reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CrossedThreshold {
    pub threshold: SpendThreshold,
    /// What the org (or the agency) cost this month so far, USD.
    #[ts(type = "string")]
    pub spent: Decimal,
    /// The threshold in USD (a share of the limit worked out).
    #[ts(type = "string")]
    pub at: Decimal,
    /// True the first time this threshold is reported for the month (the alert to raise).
    pub first_time: bool,
}

/// What a check found for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AlertCheck {
    /// `YYYY-MM`.
    pub month: String,
    pub crossed: Vec<CrossedThreshold>,
    /// Thresholds that could not be checked, and why (no billing limit at Vapi, Vapi
    /// unreachable).
    pub unchecked: Vec<String>,
}

/// The value of a new threshold, checked: an amount in cents above 0, a percentage from 1 to 100.
pub fn check_value(kind: ThresholdKind, text: &str) -> Result<Decimal, BillingError> {
    let typed = text.trim();
    let value = Decimal::from_str(typed.trim_start_matches('$').trim_end_matches('%'))
        .map_err(|_| BillingError::Refused(format!("{typed:?} is not a number.")))?
        .normalize();
    let ok = match kind {
        ThresholdKind::Amount => {
            value > Decimal::ZERO && value <= Decimal::from(MAX_AMOUNT_USD) && value.scale() <= 2
        }
        ThresholdKind::LimitShare => {
            value >= Decimal::ONE && value <= Decimal::ONE_HUNDRED && value.scale() <= 2
        }
    };
    if ok {
        Ok(value)
    } else {
        Err(BillingError::Refused(match kind {
            ThresholdKind::Amount => format!(
                "A spend threshold is an amount in USD above 0 and up to {MAX_AMOUNT_USD}, in \
                 cents ({value} is not)."
            ),
            ThresholdKind::LimitShare => format!(
                "A share of the billing limit is a percentage from 1 to 100 ({value} is not)."
            ),
        }))
    }
}

/// A `spend_thresholds` row with its org's name: id, org id, org name, kind, value.
type ThresholdRow = (i64, Option<String>, Option<String>, String, String);

/// Each org's billing limit in USD as Vapi reported it (`None`: none set), or why it could not be
/// read.
pub type Limits = HashMap<String, Result<Option<Decimal>, String>>;

/// A threshold reached, with the spend and the threshold in USD.
pub type Reached = Vec<(SpendThreshold, Decimal, Decimal)>;

fn threshold_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ThresholdRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

/// Every stored threshold: the agency's first, then by client name.
pub fn list(conn: &Connection) -> Result<Vec<SpendThreshold>, BillingError> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.org_id, o.name, t.kind, t.value FROM spend_thresholds t
         LEFT JOIN client_orgs o ON o.id = t.org_id
         ORDER BY t.org_id IS NOT NULL, o.name, t.org_id, t.kind",
    )?;
    let rows = stmt.query_map([], threshold_row)?;
    let mut out = Vec::new();
    for row in rows {
        let (id, org_id, org_name, kind, value) = row?;
        let (Some(kind), Ok(value)) = (ThresholdKind::parse(&kind), Decimal::from_str(&value))
        else {
            continue;
        };
        out.push(SpendThreshold {
            id,
            org_id,
            org_name,
            kind,
            value,
        });
    }
    Ok(out)
}

/// Stores (or replaces) a threshold; a replaced one may raise again this month.
pub fn save(
    conn: &Connection,
    org_id: Option<&str>,
    kind: ThresholdKind,
    value: Decimal,
) -> Result<(), BillingError> {
    match org_id {
        Some(id) => match clients::get(conn, id)? {
            Some(org) if org.kind == clients::OrgKind::Client => {}
            Some(org) => {
                return Err(BillingError::Refused(format!(
                    "{} is your agency's own org, not a client: use the agency-wide threshold.",
                    org.name
                )))
            }
            None => {
                return Err(BillingError::ClientNotFound {
                    client_id: id.to_owned(),
                })
            }
        },
        None if kind == ThresholdKind::LimitShare => {
            return Err(BillingError::Refused(
                "A share of the billing limit is set per client: each org has its own limit at \
                 Vapi."
                    .into(),
            ))
        }
        None => {}
    }
    remove(conn, org_id, kind)?;
    conn.execute(
        "INSERT INTO spend_thresholds (org_id, kind, value) VALUES (?1, ?2, ?3)",
        (org_id, kind.as_str(), value.to_string()),
    )?;
    Ok(())
}

/// Removes a threshold; true if there was one.
pub fn remove(
    conn: &Connection,
    org_id: Option<&str>,
    kind: ThresholdKind,
) -> Result<bool, BillingError> {
    Ok(conn.execute(
        "DELETE FROM spend_thresholds WHERE COALESCE(org_id, '') = ?1 AND kind = ?2",
        (org_id.unwrap_or(""), kind.as_str()),
    )? > 0)
}

/// Each client org's cost over the period, micro-USD (orgs without calls absent).
pub fn spend_by_org(
    conn: &Connection,
    period: &Period,
) -> Result<HashMap<String, i64>, BillingError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.org_id, SUM(d.cost_micros) FROM calls_daily d
         JOIN client_orgs o ON o.id = d.org_id AND o.kind = 'client'
         WHERE d.day >= ?1 AND d.day <= ?2 GROUP BY d.org_id",
    )?;
    let from = period.from.format("%Y-%m-%d").to_string();
    let to = period.to.format("%Y-%m-%d").to_string();
    let rows = stmt.query_map((from, to), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn usd(micros: i64) -> Decimal {
    Decimal::new(micros, 6).normalize()
}

/// The thresholds reached in the period, and those that could not be judged (`limits` has an
/// error, or no limit, for their org).
pub fn evaluate(
    thresholds: &[SpendThreshold],
    spend: &HashMap<String, i64>,
    limits: &Limits,
) -> (Reached, Vec<String>) {
    let total: i64 = spend.values().sum();
    let mut crossed = Vec::new();
    let mut unchecked = Vec::new();
    for t in thresholds {
        let name = t
            .org_name
            .clone()
            .unwrap_or_else(|| "the agency".to_owned());
        let spent = match &t.org_id {
            Some(id) => usd(spend.get(id).copied().unwrap_or(0)),
            None => usd(total),
        };
        let at = match (t.kind, &t.org_id) {
            (ThresholdKind::Amount, _) => t.value,
            (ThresholdKind::LimitShare, Some(id)) => match limits.get(id) {
                Some(Ok(Some(limit))) => (*limit * t.value / Decimal::ONE_HUNDRED)
                    .round_dp(2)
                    .normalize(),
                Some(Ok(None)) => {
                    unchecked.push(format!(
                        "{name}: {}% of its billing limit, but it has no billing limit at Vapi",
                        t.value
                    ));
                    continue;
                }
                Some(Err(why)) => {
                    unchecked.push(format!(
                        "{name}: its billing limit could not be read ({why})"
                    ));
                    continue;
                }
                None => continue,
            },
            (ThresholdKind::LimitShare, None) => continue,
        };
        if spent >= at {
            crossed.push((t.clone(), spent, at));
        }
    }
    (crossed, unchecked)
}

/// Records that the threshold raised its alert for the month; true the first time.
pub fn mark_raised(
    conn: &Connection,
    threshold_id: i64,
    month: &str,
) -> Result<bool, BillingError> {
    let already: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM spend_alerts_raised WHERE threshold_id = ?1 AND period = ?2",
            (threshold_id, month),
            |r| r.get(0),
        )
        .optional()?;
    if already.is_some() {
        return Ok(false);
    }
    conn.execute(
        "INSERT INTO spend_alerts_raised (threshold_id, period, raised_at) VALUES (?1, ?2, ?3)",
        (threshold_id, month, time::now()),
    )?;
    Ok(true)
}

/// The thresholds still set that raised their alert in `month` (`YYYY-MM`): the marks the app
/// shows until the month ends or the threshold is cleared (clearing deletes its raised rows).
pub fn raised_in(conn: &Connection, month: &str) -> Result<Vec<SpendThreshold>, BillingError> {
    let raised: std::collections::HashSet<i64> = {
        let mut stmt =
            conn.prepare_cached("SELECT threshold_id FROM spend_alerts_raised WHERE period = ?1")?;
        let ids = stmt.query_map([month], |r| r.get(0))?;
        ids.collect::<Result<_, _>>()?
    };
    Ok(list(conn)?
        .into_iter()
        .filter(|t| raised.contains(&t.id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threshold(org: Option<&str>, kind: ThresholdKind, value: i64) -> SpendThreshold {
        SpendThreshold {
            id: 0,
            org_id: org.map(str::to_owned),
            org_name: org.map(str::to_owned),
            kind,
            value: Decimal::from(value),
        }
    }

    #[test]
    fn values_are_checked_per_kind() {
        assert_eq!(
            check_value(ThresholdKind::Amount, "$250.50")
                .unwrap()
                .to_string(),
            "250.5"
        );
        assert_eq!(
            check_value(ThresholdKind::LimitShare, "80%")
                .unwrap()
                .to_string(),
            "80"
        );
        for bad in ["0", "-3", "1.001", "x"] {
            assert!(check_value(ThresholdKind::Amount, bad).is_err(), "{bad}");
        }
        for bad in ["0.5", "101", "x"] {
            assert!(
                check_value(ThresholdKind::LimitShare, bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn amounts_shares_and_the_agency_total_are_judged_at_or_above() {
        let spend = HashMap::from([("a".to_owned(), 80_000_000), ("b".to_owned(), 30_000_000)]);
        let limits: Limits = HashMap::from([
            ("a".to_owned(), Ok(Some(Decimal::from(100)))),
            ("b".to_owned(), Ok(None)),
        ]);
        let thresholds = [
            threshold(Some("a"), ThresholdKind::Amount, 80),
            threshold(Some("a"), ThresholdKind::LimitShare, 81),
            threshold(Some("b"), ThresholdKind::Amount, 31),
            threshold(Some("b"), ThresholdKind::LimitShare, 50),
            threshold(None, ThresholdKind::Amount, 110),
        ];
        let (crossed, unchecked) = evaluate(&thresholds, &spend, &limits);
        let names: Vec<(Option<&str>, ThresholdKind)> = crossed
            .iter()
            .map(|(t, _, _)| (t.org_id.as_deref(), t.kind))
            .collect();
        assert_eq!(
            names,
            [
                (Some("a"), ThresholdKind::Amount),
                (None, ThresholdKind::Amount)
            ]
        );
        assert_eq!(crossed[1].1, Decimal::from(110));
        assert_eq!(unchecked.len(), 1, "{unchecked:?}");
        assert!(unchecked[0].contains("no billing limit"), "{unchecked:?}");
    }
}
