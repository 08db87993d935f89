//! One call as the detail view and `agencydesk calls show` present it, built from the cached
//! JSON. Built tolerantly: whatever the call lacks (a failed call has no cost, messages or
//! analysis; an old one may hold explicit nulls) is absent here too, never an error.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::conversation::{messages, CallMessage};
use super::cost_split::{breakdown, entries, micros_at, CostEntry, CostPart};
use super::json_read::{at, items, text, time_at};
use super::plain_words::{ended_reason_text, mask_number};
use super::usd::usd_text;
use crate::store::{time, StoreError};
use crate::sync::raw;

/// `analysis.successEvaluation`, which Vapi sends as text ("true", "8", "Pass") or a boolean
/// depending on the assistant's rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SuccessEvaluation {
    /// As Vapi wrote it ("true", "8", "Pass").
    pub text: String,
    /// A pass/fail verdict when the evaluation is one.
    pub passed: Option<bool>,
}

/// The squad that took the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SquadInfo {
    pub id: Option<String>,
    pub name: Option<String>,
    /// Each member assistant's name (or id when its name is unknown).
    pub members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CustomerInfo {
    /// Masked to its last 4 digits unless the detail was asked for with `reveal`.
    pub number: Option<String>,
    pub masked: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallDetail {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    #[serde(rename = "type")]
    pub call_type: Option<String>,
    pub status: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// From `startedAt` to `endedAt`, as it really lasted.
    pub duration_seconds: Option<f64>,
    /// The minutes Vapi billed (its platform fee's, else the transport's).
    pub billed_minutes: Option<f64>,
    pub ended_reason: Option<String>,
    /// `endedReason` in a sentence.
    pub ended_reason_text: Option<String>,
    pub assistant_id: Option<String>,
    pub assistant_name: Option<String>,
    pub squad: Option<SquadInfo>,
    pub customer: Option<CustomerInfo>,
    /// USD, exact decimal text; `None` when Vapi reported no cost (a failed call, or not yet).
    pub cost: Option<String>,
    #[ts(type = "number | null")]
    pub cost_micros: Option<i64>,
    pub breakdown: Vec<CostPart>,
    pub costs: Vec<CostEntry>,
    /// The sum of `costs[]` (`None` without entries), to compare with `cost`.
    pub costs_sum: Option<String>,
    pub summary: Option<String>,
    pub success: Option<SuccessEvaluation>,
    pub messages: Vec<CallMessage>,
    /// The transcript as text (`artifact.transcript` or `transcript`).
    pub transcript: Option<String>,
    /// How long Vapi keeps the org's calls (`subscription.callRetentionDays`, as the last sync
    /// read it); `None` while unknown.
    pub retention_days: Option<u32>,
    /// Older than Vapi keeps calls: the cache (and the archive) hold the only copy.
    pub kept_only_here: bool,
    /// Its recording is in the archive on this computer.
    pub recording_archived: bool,
}

/// A cached call with what the cache knows around it.
struct Cached {
    org_id: String,
    org_name: String,
    assistant_name: Option<String>,
    duration_seconds: Option<f64>,
    minutes: Option<f64>,
    cost_micros: Option<i64>,
    retention_days: Option<u32>,
    recording_archived: bool,
    json: Value,
}

fn cached(conn: &Connection, call_id: &str) -> Result<Option<Cached>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT c.org_id, o.name, a.name, c.duration_seconds, c.minutes, c.cost_micros, c.raw,
                    o.call_retention_days,
                    EXISTS (SELECT 1 FROM call_recordings r
                            WHERE r.call_id = c.id AND r.state = 'archived')
             FROM calls c JOIN client_orgs o ON o.id = c.org_id
             LEFT JOIN assistants a ON a.id = c.assistant_id
             WHERE c.id = ?1",
        )?
        .query_row([call_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<f64>>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Vec<u8>>(6)?,
                r.get::<_, Option<u32>>(7)?,
                r.get::<_, bool>(8)?,
            ))
        })
        .optional()?;
    let Some((
        org_id,
        org_name,
        assistant_name,
        duration_seconds,
        minutes,
        cost_micros,
        blob,
        retention_days,
        recording_archived,
    )) = row
    else {
        return Ok(None);
    };
    let json = raw::decode_json_in(conn, &blob).map_err(|e| StoreError::Corrupt {
        what: format!("call {call_id}: {e}"),
    })?;
    Ok(Some(Cached {
        org_id,
        org_name,
        assistant_name,
        duration_seconds,
        minutes,
        cost_micros,
        retention_days,
        recording_archived,
        json,
    }))
}

/// The customer's number in a call's JSON hidden but for its last 4 digits (for output that
/// shows the call as cached).
pub fn mask_customer(call: &mut Value) {
    if let Some(Value::String(number)) = call.pointer_mut("/customer/number") {
        *number = mask_number(number);
    }
}

/// The call's JSON as cached (secret-looking fields were removed by the sync), found by id in
/// any org; the customer's number masked unless `reveal`.
pub fn cached_call_json(
    conn: &Connection,
    call_id: &str,
    reveal: bool,
) -> Result<Option<Value>, StoreError> {
    Ok(cached(conn, call_id)?.map(|c| {
        let mut json = c.json;
        if !reveal {
            mask_customer(&mut json);
        }
        json
    }))
}

/// The detail of a cached call, found by id in any org; `None` when it is not cached.
pub fn call_detail(
    conn: &Connection,
    call_id: &str,
    reveal: bool,
) -> Result<Option<CallDetail>, StoreError> {
    let Some(c) = cached(conn, call_id)? else {
        return Ok(None);
    };
    let call = &c.json;
    let squad = squad(conn, call)?;
    let costs = entries(call);
    let costs_sum = costs
        .iter()
        .filter_map(|e| e.cost_micros)
        .try_fold(0i64, i64::checked_add)
        .filter(|_| costs.iter().any(|e| e.cost_micros.is_some()))
        .map(usd_text);
    let cost_micros = c
        .cost_micros
        .or_else(|| micros_at(call, &["cost"]))
        .or_else(|| micros_at(call, &["costBreakdown", "total"]));
    let ended_reason = text(call, &["endedReason"]);
    let iso = |path: &[&str]| time_at(call, path).map(time::format);
    Ok(Some(CallDetail {
        id: call_id.to_owned(),
        created_at: iso(&["createdAt"]).unwrap_or_default(),
        updated_at: iso(&["updatedAt"]),
        started_at: iso(&["startedAt"]),
        ended_at: iso(&["endedAt"]),
        duration_seconds: c.duration_seconds,
        billed_minutes: c.minutes,
        call_type: text(call, &["type"]),
        status: text(call, &["status"]),
        ended_reason_text: ended_reason.as_deref().map(ended_reason_text),
        ended_reason,
        assistant_id: text(call, &["assistantId"]),
        assistant_name: c
            .assistant_name
            .or_else(|| text(call, &["assistant", "name"])),
        squad,
        customer: customer(call, reveal),
        cost: cost_micros.map(usd_text),
        cost_micros,
        breakdown: breakdown(call),
        costs,
        costs_sum,
        summary: text(call, &["analysis", "summary"]).or_else(|| text(call, &["summary"])),
        success: success(call),
        messages: messages(call),
        transcript: text(call, &["artifact", "transcript"]).or_else(|| text(call, &["transcript"])),
        kept_only_here: past_retention(time_at(call, &["createdAt"]), c.retention_days),
        retention_days: c.retention_days,
        recording_archived: c.recording_archived,
        org_id: c.org_id,
        org_name: c.org_name,
    }))
}

/// Whether a call created at `created` is older than Vapi keeps calls (`retention_days`).
pub fn past_retention(
    created: Option<chrono::DateTime<chrono::Utc>>,
    retention_days: Option<u32>,
) -> bool {
    match (created, retention_days) {
        (Some(created), Some(days)) => {
            created < chrono::Utc::now() - chrono::Duration::days(i64::from(days))
        }
        _ => false,
    }
}

fn success(call: &Value) -> Option<SuccessEvaluation> {
    let value = at(call, &["analysis", "successEvaluation"])?;
    let text = match value {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let passed = crate::vapi::success::verdict(&text);
    Some(SuccessEvaluation { text, passed })
}

fn customer(call: &Value, reveal: bool) -> Option<CustomerInfo> {
    let number = text(call, &["customer", "number"]);
    let name = text(call, &["customer", "name"]);
    if number.is_none() && name.is_none() {
        return None;
    }
    Some(CustomerInfo {
        masked: !reveal && number.is_some(),
        number: number.map(|n| if reveal { n } else { mask_number(&n) }),
        name,
    })
}

fn squad(conn: &Connection, call: &Value) -> Result<Option<SquadInfo>, StoreError> {
    let id = text(call, &["squadId"]);
    if id.is_none() && at(call, &["squad"]).is_none() {
        return Ok(None);
    }
    let mut names = conn.prepare_cached("SELECT name FROM assistants WHERE id = ?1")?;
    let mut members = Vec::new();
    for m in items(call, &["squad", "members"]) {
        let assistant_id = text(m, &["assistantId"]);
        let known = match &assistant_id {
            Some(id) => names
                .query_row([id], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten(),
            None => None,
        };
        if let Some(name) = known
            .or_else(|| text(m, &["assistant", "name"]))
            .or(assistant_id)
        {
            members.push(name);
        }
    }
    Ok(Some(SquadInfo {
        id,
        name: text(call, &["squad", "name"]),
        members,
    }))
}
