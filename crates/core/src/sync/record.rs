//! A page of calls as received, turned into rows for `calls`: the queried fields as columns,
//! money as integer micro-USD, timestamps in the store's fixed format, and the JSON itself
//! (secret-looking fields removed, then encoded). The whole page is checked before any of it is
//! written: one unreadable call rejects the page.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::SyncError;
use super::options::RawEncoding;
use super::raw;
use super::secrets::{may_hold_secrets, suspect_name, Scan};
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

/// The fields read from a call (everything else stays in the raw JSON only), and whether any
/// field name in it looks like a secret: both from one walk over the call's JSON.
#[derive(Default)]
struct Fields<'a> {
    id: Option<Text<'a>>,
    org_id: Option<Text<'a>>,
    call_type: Option<Text<'a>>,
    status: Option<Text<'a>>,
    ended_reason: Option<Text<'a>>,
    assistant_id: Option<Text<'a>>,
    phone_number_id: Option<Text<'a>>,
    created_at: Option<Text<'a>>,
    updated_at: Option<Text<'a>>,
    started_at: Option<Text<'a>>,
    ended_at: Option<Text<'a>>,
    cost: Option<f64>,
    cost_breakdown: Option<Breakdown>,
    costs: Option<Vec<CostItem<'a>>>,
    may_hold_secrets: bool,
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a call object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            f.may_hold_secrets |= suspect_name(&key.0);
            let text = match key.0.as_ref() {
                "id" => &mut f.id,
                "orgId" => &mut f.org_id,
                "type" => &mut f.call_type,
                "status" => &mut f.status,
                "endedReason" => &mut f.ended_reason,
                "assistantId" => &mut f.assistant_id,
                "phoneNumberId" => &mut f.phone_number_id,
                "createdAt" => &mut f.created_at,
                "updatedAt" => &mut f.updated_at,
                "startedAt" => &mut f.started_at,
                "endedAt" => &mut f.ended_at,
                "cost" => {
                    f.cost = map.next_value()?;
                    continue;
                }
                // Small objects: kept as their JSON, read and searched on their own.
                "costBreakdown" | "costs" => {
                    let raw: &'de RawValue = map.next_value()?;
                    f.may_hold_secrets |= may_hold_secrets(raw.get());
                    if key.0 == "costs" {
                        f.costs = serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                    } else {
                        f.cost_breakdown =
                            serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                    }
                    continue;
                }
                _ => {
                    f.may_hold_secrets |= map.next_value_seed(Scan)?;
                    continue;
                }
            };
            *text = map.next_value()?;
        }
        Ok(f)
    }
}

/// A JSON string, borrowed from the page when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
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
    let text = |field: Option<Text<'_>>| field.map(|t| t.0.into_owned());
    let id = text(f.id).ok_or("a call without an id")?;
    let call_org = text(f.org_id).unwrap_or_default();
    if call_org != org_id {
        return Err(format!(
            "call {id} belongs to org {call_org:?}, not to this org"
        ));
    }
    let when = |name: &str, field: Option<&Text<'_>>| -> Result<Option<DateTime<Utc>>, String> {
        field
            .map(|t| {
                time::parse(&t.0)
                    .ok_or_else(|| format!("call {id}: {name} {:?} is not a time", t.0))
            })
            .transpose()
    };
    let created = when("createdAt", f.created_at.as_ref())?
        .ok_or_else(|| format!("call {id} has no createdAt"))?;
    let updated = when("updatedAt", f.updated_at.as_ref())?
        .ok_or_else(|| format!("call {id} has no updatedAt"))?;
    let started = when("startedAt", f.started_at.as_ref())?;
    let ended = when("endedAt", f.ended_at.as_ref())?;
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
    let raw =
        encode_raw(json, f.may_hold_secrets, encoder).map_err(|e| format!("call {id}: {e}"))?;
    Ok(CallRow {
        assistant_id: text(f.assistant_id),
        phone_number_id: text(f.phone_number_id),
        call_type: text(f.call_type),
        status: text(f.status),
        ended_reason: text(f.ended_reason),
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
        raw,
        id,
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

/// The call's JSON for storage; re-written without its secret-looking fields only when the
/// walk found a suspect field name.
fn encode_raw(json: &str, suspect: bool, encoder: &mut raw::Encoder) -> Result<Vec<u8>, String> {
    let text: Cow<'_, str> = if suspect {
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
                          "credentials": [{"apiKey": "sk-live-1"}]},
            "costs": [{"type": "model", "model": {"provider": "x", "apiKey": "sk-live-2"}}]});
        let rows = parse_page("o1", "Acme", &page(&[call]), RawEncoding::Plain).unwrap();
        let text = raw::decode(&rows[0].raw).unwrap();
        assert!(
            !text.contains("hook-secret") && !text.contains("sk-live-1"),
            "{text}"
        );
        assert!(text.contains("https://x.example"));
    }
}
