//! The subscription facts Vapi puts in an org: one subscription per account (user), shared by
//! its orgs, with the minutes its orgs used this calendar month (UTC) and its credit balance.

use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde_json::{json, Value};

use super::call::CallStatus;
use super::org::Org;
use super::World;
use crate::time::{format_ms, Millis};

/// The credit balance every simulated account starts with, as Vapi writes it (a string).
pub const STARTING_CREDITS: &str = "500.00";

/// Minutes, as Vapi reports them: a number with at most 2 decimals.
fn minutes(ms: i64) -> Value {
    json!((ms as f64 / 600.0).round() / 100.0)
}

fn month_bounds(now_ms: Millis) -> (Millis, Millis) {
    let now = Utc
        .timestamp_millis_opt(now_ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let start = |y: i32, m: u32| {
        Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
            .single()
            .map_or(0, |t| t.timestamp_millis())
    };
    let (y, m) = (now.year(), now.month());
    let next = if m == 12 {
        start(y + 1, 1)
    } else {
        start(y, m + 1)
    };
    (start(y, m), next)
}

/// The org's JSON with its all-time `minutesUsed` and its account's `subscription` (minutes of
/// ended calls only: a queued call has used none).
pub fn org_json(world: &World, org: &Org, now_ms: Millis) -> Value {
    let mut out = org.to_json();
    let (month_start, next_month) = month_bounds(now_ms);
    let orgs: Vec<&Org> = world.account_orgs(org.account).collect();
    let used_ms = |o: &Org, from: Millis| -> i64 {
        o.calls
            .iter()
            .filter(|c| c.status == CallStatus::Ended)
            .filter(|c| c.created_ms >= from && c.created_ms < next_month)
            .map(|c| i64::from(c.duration_ms))
            .sum()
    };
    let month_ms: i64 = orgs.iter().map(|o| used_ms(o, month_start)).sum();
    let created = orgs
        .iter()
        .map(|o| o.created_ms)
        .min()
        .unwrap_or(org.created_ms);
    let mut subscription = json!({
        "id": format!("00000000-0000-4000-8000-{:012x}", org.account),
        "createdAt": format_ms(created),
        "updatedAt": format_ms(created),
        "type": "agency",
        "status": "active",
        "credits": STARTING_CREDITS,
        "concurrencyCounter": 1,
        "concurrencyLimitIncluded": 10,
        "concurrencyLimitPurchased": 0,
        "minutesIncluded": 0,
        "minutesUsed": minutes(month_ms),
        "minutesUsedNextResetAt": format_ms(next_month),
    });
    if let (Some(days), Value::Object(sub)) = (world.retention_days, &mut subscription) {
        sub.insert("callRetentionDays".into(), Value::from(days));
    }
    if let Value::Object(map) = &mut out {
        map.insert("minutesUsed".into(), minutes(used_ms(org, Millis::MIN)));
        map.insert("subscription".into(), subscription);
    }
    out
}
