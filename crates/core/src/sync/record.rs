//! A page of calls as received, turned into rows for `calls`: the queried fields as columns,
//! money as integer micro-USD, timestamps in the store's fixed format, and the JSON itself
//! (secret-looking fields removed, then encoded). The whole page is checked before any of it is
//! written: one unreadable call rejects the page.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::SyncError;
use super::options::RawEncoding;
use super::raw;
use super::secrets::may_hold_secrets;
use crate::store::time;
use crate::vapi::money::usd_to_micros;
use crate::vapi::redact::scrub_secrets;

/// One row of `calls`, ready to insert.
#[derive(Debug, Clone)]
pub(crate) struct CallRow {
    pub id: String,
    pub assistant_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub call_type: Option<String>,
    pub status: Option<String>,
    pub ended_reason: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub created_at: String,
    pub updated_at: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub duration_seconds: Option<f64>,
    pub cost_micros: Option<i64>,
    /// transport, stt, llm, tts, vapi, chat
    pub components: [Option<i64>; 6],
    pub minutes: Option<f64>,
    pub raw: Vec<u8>,
}

/// The fields read from a call; everything else stays in the raw JSON only.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    org_id: Cow<'a, str>,
    #[serde(rename = "type", borrow, default)]
    call_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ended_reason: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    assistant_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    phone_number_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow)]
    updated_at: Cow<'a, str>,
    #[serde(borrow, default)]
    started_at: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    ended_at: Option<Cow<'a, str>>,
    #[serde(default)]
    cost: Option<f64>,
    #[serde(default)]
    cost_breakdown: Option<Breakdown>,
    #[serde(borrow, default)]
    costs: Option<Vec<CostItem<'a>>>,
}

#[derive(Deserialize)]
struct Breakdown {
    transport: Option<f64>,
    stt: Option<f64>,
    llm: Option<f64>,
    tts: Option<f64>,
    vapi: Option<f64>,
    chat: Option<f64>,
    total: Option<f64>,
}

#[derive(Deserialize)]
struct CostItem<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(default)]
    minutes: Option<f64>,
}

/// Checks and converts a whole page. `org_id` is the org the page was asked for: a call of any
/// other org rejects the page rather than landing in the wrong client's figures.
pub(crate) fn parse_page(
    org_id: &str,
    org_name: &str,
    page: &[Box<RawValue>],
    encoding: RawEncoding,
) -> Result<Vec<CallRow>, SyncError> {
    let invalid = |detail| SyncError::InvalidCall {
        org: org_name.to_owned(),
        detail,
    };
    let mut encoder =
        raw::Encoder::new(encoding).map_err(|e| invalid(format!("compression failed: {e}")))?;
    page.iter()
        .map(|call| parse_call(org_id, call.get(), &mut encoder))
        .collect::<Result<_, String>>()
        .map_err(invalid)
}

fn parse_call(org_id: &str, json: &str, encoder: &mut raw::Encoder) -> Result<CallRow, String> {
    let f: Fields<'_> = serde_json::from_str(json).map_err(|e| format!("a call: {e}"))?;
    if f.org_id != org_id {
        return Err(format!(
            "call {} belongs to org {}, not to this org",
            f.id, f.org_id
        ));
    }
    let when = |name: &str, text: &str| {
        time::parse(text).ok_or_else(|| format!("call {}: {name} {text:?} is not a time", f.id))
    };
    let created = when("createdAt", &f.created_at)?;
    let updated = when("updatedAt", &f.updated_at)?;
    let started = f
        .started_at
        .as_deref()
        .map(|t| when("startedAt", t))
        .transpose()?;
    let ended = f
        .ended_at
        .as_deref()
        .map(|t| when("endedAt", t))
        .transpose()?;
    let duration_seconds = match (started, ended) {
        // Milliseconds are far below 2^53, so the conversion is exact.
        (Some(s), Some(e)) => Some((e - s).num_milliseconds() as f64 / 1000.0),
        _ => None,
    };
    let micros = |usd: Option<f64>| usd.and_then(usd_to_micros);
    let b = f.cost_breakdown.as_ref();
    let components = [
        micros(b.and_then(|b| b.transport)),
        micros(b.and_then(|b| b.stt)),
        micros(b.and_then(|b| b.llm)),
        micros(b.and_then(|b| b.tts)),
        micros(b.and_then(|b| b.vapi)),
        micros(b.and_then(|b| b.chat)),
    ];
    let cost_micros = micros(f.cost.or_else(|| b.and_then(|b| b.total)));
    Ok(CallRow {
        id: f.id.to_string(),
        assistant_id: f.assistant_id.map(Cow::into_owned),
        phone_number_id: f.phone_number_id.map(Cow::into_owned),
        call_type: f.call_type.map(Cow::into_owned),
        status: f.status.map(Cow::into_owned),
        ended_reason: f.ended_reason.map(Cow::into_owned),
        created_at: time::format(created),
        updated_at: time::format(updated),
        created,
        updated,
        started_at: started.map(time::format),
        ended_at: ended.map(time::format),
        duration_seconds,
        cost_micros,
        components,
        minutes: billed_minutes(f.costs.as_deref()),
        raw: encode_raw(json, encoder).map_err(|e| format!("call {}: {e}", f.id))?,
    })
}

/// The minutes Vapi billed: those of its own platform fee, else those of the transport.
fn billed_minutes(costs: Option<&[CostItem<'_>]>) -> Option<f64> {
    let costs = costs?;
    let of = |kind: &str| {
        costs
            .iter()
            .find(|c| c.kind.as_deref() == Some(kind))
            .and_then(|c| c.minutes)
    };
    of("vapi").or_else(|| of("transport"))
}

fn encode_raw(json: &str, encoder: &mut raw::Encoder) -> Result<Vec<u8>, String> {
    let text: Cow<'_, str> = if may_hold_secrets(json) {
        let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        scrub_secrets(&mut value);
        Cow::Owned(value.to_string())
    } else {
        Cow::Borrowed(json)
    };
    encoder
        .encode(&text)
        .map_err(|e| format!("compression failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(calls: &[serde_json::Value]) -> Vec<Box<RawValue>> {
        calls
            .iter()
            .map(|c| RawValue::from_string(c.to_string()).unwrap())
            .collect()
    }

    #[test]
    fn reads_columns_and_exact_money() {
        let call = serde_json::json!({
            "id": "c1", "orgId": "o1", "type": "inboundPhoneCall", "status": "ended",
            "endedReason": "customer-ended-call", "assistantId": "a1",
            "createdAt": "2026-11-01T10:00:00.000Z", "updatedAt": "2026-11-01T10:05:00+00:00",
            "startedAt": "2026-11-01T10:00:01.500Z", "endedAt": "2026-11-01T10:02:31.750Z",
            "cost": 0.1 + 0.2,
            "costBreakdown": {"transport": 0.002215, "stt": 0.0, "llm": 0.04, "tts": 0.01,
                              "vapi": 0.010845, "chat": 0.0, "total": 0.3},
            "costs": [{"type": "transport", "minutes": 2.6}, {"type": "vapi", "minutes": 2.5042}]
        });
        let rows = parse_page("o1", "Acme", &page(&[call]), RawEncoding::Zstd(1)).unwrap();
        let r = &rows[0];
        assert_eq!(r.cost_micros, Some(300_000));
        assert_eq!(r.components[0], Some(2_215));
        assert_eq!(r.components[4], Some(10_845));
        assert_eq!(r.minutes, Some(2.5042));
        assert_eq!(r.duration_seconds, Some(150.25));
        assert_eq!(r.updated_at, "2026-11-01T10:05:00.000Z");
        assert_eq!(
            raw::decode_json(&r.raw).unwrap()["endedReason"],
            "customer-ended-call"
        );
    }

    #[test]
    fn a_bad_call_rejects_the_whole_page() {
        let good = serde_json::json!({"id": "c1", "orgId": "o1",
            "createdAt": "2026-11-01T10:00:00Z", "updatedAt": "2026-11-01T10:00:00Z"});
        let other_org = serde_json::json!({"id": "c2", "orgId": "o2",
            "createdAt": "2026-11-01T10:00:00Z", "updatedAt": "2026-11-01T10:00:00Z"});
        let no_time = serde_json::json!({"id": "c3", "orgId": "o1", "updatedAt": "x"});
        for bad in [other_org, no_time] {
            let err = parse_page(
                "o1",
                "Acme",
                &page(&[good.clone(), bad]),
                RawEncoding::Plain,
            )
            .unwrap_err();
            assert!(err.to_string().starts_with("Acme: "), "{err}");
        }
    }

    #[test]
    fn secrets_never_reach_the_stored_json() {
        let call = serde_json::json!({"id": "c1", "orgId": "o1",
            "createdAt": "2026-11-01T10:00:00Z", "updatedAt": "2026-11-01T10:00:00Z",
            "assistant": {"server": {"url": "https://x.example", "secret": "hook-secret"},
                          "credentials": [{"apiKey": "sk-live-1"}]}});
        let rows = parse_page("o1", "Acme", &page(&[call]), RawEncoding::Plain).unwrap();
        let text = raw::decode(&rows[0].raw).unwrap();
        assert!(
            !text.contains("hook-secret") && !text.contains("sk-live-1"),
            "{text}"
        );
        assert!(text.contains("https://x.example"));
    }
}
