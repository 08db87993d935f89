//! A page of calls as received, turned into rows for `calls`: the queried fields as columns,
//! money as integer micro-USD, timestamps in the store's fixed format, and the JSON itself
//! (secret-looking fields removed, then encoded). The whole page is checked before any of it is
//! written.
//!
//! A call is what carries its identity: an id, this org's id, `createdAt` and `updatedAt` (the
//! sync's cursors rest on them); a page with an element that lacks them is refused whole rather
//! than land in the wrong figures or move a cursor past a call. Anything else that is odd (a
//! field of an unexpected type, an unreadable `startedAt`, a cost that is text) leaves that
//! column empty and never sinks the page: the call's JSON is kept as it came.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use zstd::dict::EncoderDictionary;

use super::error::SyncError;
use super::options::RawEncoding;
use super::raw::{self, TrainedDict};
use super::record_text::PickSeed;
use super::secrets::{may_hold_secrets, suspect_name, Scan};
use crate::store::time;
use crate::vapi::money::usd_to_micros;
use crate::vapi::redact::scrub_secrets;
use crate::vapi::success::verdict;

/// One row of `calls`, ready to insert.
#[derive(Debug, Clone)]
pub(crate) struct CallRow {
    pub id: String,
    pub assistant_id: Option<String>,
    pub call_type: Option<String>,
    pub status: Option<String>,
    pub ended_reason: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// The four times as stored: milliseconds since the epoch (see `store::time::to_ms`).
    pub created_ms: i64,
    pub updated_ms: i64,
    pub started_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub duration_seconds: Option<f64>,
    pub cost_micros: Option<i64>,
    /// transport, stt, llm, tts, vapi, chat
    pub components: [Option<i64>; 6],
    pub minutes: Option<f64>,
    pub raw: Vec<u8>,
    /// `analysis.successEvaluation` as a pass/fail verdict (see `vapi::success`).
    pub success: Option<bool>,
    /// What the full-text index holds of the call.
    pub transcript: Option<String>,
    pub summary: Option<String>,
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
    created_at: Option<Text<'a>>,
    updated_at: Option<Text<'a>>,
    started_at: Option<Text<'a>>,
    ended_at: Option<Text<'a>>,
    cost: Option<f64>,
    cost_breakdown: Option<Breakdown>,
    costs: Option<Vec<CostItem<'a>>>,
    transcript: Option<Text<'a>>,
    summary: Option<Text<'a>>,
    /// `artifact.transcript` and `analysis.summary`, where Vapi puts them now.
    artifact_transcript: Option<Text<'a>>,
    analysis_summary: Option<Text<'a>>,
    success: Option<bool>,
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
                "createdAt" => &mut f.created_at,
                "updatedAt" => &mut f.updated_at,
                "startedAt" => &mut f.started_at,
                "endedAt" => &mut f.ended_at,
                "transcript" => &mut f.transcript,
                "summary" => &mut f.summary,
                "artifact" => {
                    let ([transcript], suspect) = map.next_value_seed(PickSeed(["transcript"]))?;
                    f.may_hold_secrets |= suspect;
                    f.artifact_transcript = transcript.and_then(Loose::text);
                    continue;
                }
                "analysis" => {
                    let ([summary, success], suspect) =
                        map.next_value_seed(PickSeed(["summary", "successEvaluation"]))?;
                    f.may_hold_secrets |= suspect;
                    f.analysis_summary = summary.and_then(Loose::text);
                    f.success = success.and_then(Loose::verdict);
                    continue;
                }
                "cost" => {
                    let (value, suspect) = map.next_value_seed(LooseSeed)?;
                    f.may_hold_secrets |= suspect;
                    f.cost = value.number();
                    continue;
                }
                // Small objects: kept as their JSON, read and searched on their own; one of an
                // unexpected shape reads as absent.
                "costBreakdown" | "costs" => {
                    let raw: &'de RawValue = map.next_value()?;
                    f.may_hold_secrets |= may_hold_secrets(raw.get());
                    if key.0 == "costs" {
                        f.costs = serde_json::from_str(raw.get()).ok();
                    } else {
                        f.cost_breakdown = serde_json::from_str(raw.get()).ok();
                    }
                    continue;
                }
                _ => {
                    f.may_hold_secrets |= map.next_value_seed(Scan)?;
                    continue;
                }
            };
            let (value, suspect) = map.next_value_seed(LooseSeed)?;
            f.may_hold_secrets |= suspect;
            *text = value.text();
        }
        Ok(f)
    }
}

/// A field's value as the sync may use it: text, a number, or anything else (ignored), and
/// whether a nested value holds a secret-looking field name.
pub(super) enum Loose<'a> {
    Text(Text<'a>),
    Number(f64),
    Bool(bool),
    Other,
}

impl<'a> Loose<'a> {
    pub(super) fn text(self) -> Option<Text<'a>> {
        match self {
            Loose::Text(t) => Some(t),
            _ => None,
        }
    }

    fn number(self) -> Option<f64> {
        match self {
            Loose::Number(n) => Some(n),
            _ => None,
        }
    }

    /// A pass/fail answer (see `vapi::success`); a score or anything else is none.
    pub(super) fn verdict(self) -> Option<bool> {
        match self {
            Loose::Bool(b) => Some(b),
            Loose::Text(t) => verdict(&t.0),
            _ => None,
        }
    }
}

pub(super) struct LooseSeed;

impl<'de> DeserializeSeed<'de> for LooseSeed {
    type Value = (Loose<'de>, bool);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = (Loose<'de>, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((Loose::Text(Text(Cow::Borrowed(v))), false))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Loose::Text(Text(Cow::Owned(v.to_owned()))), false))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok((Loose::Text(Text(Cow::Owned(v))), false))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Loose::Number(v), false))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Loose::Number(v as f64), false))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Loose::Number(v as f64), false))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok((Loose::Bool(v), false))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Loose::Other, false))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok((Loose::Other, false))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok((
            Loose::Other,
            Scan.deserialize(SeqAccessDeserializer::new(seq))?,
        ))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok((
            Loose::Other,
            Scan.deserialize(MapAccessDeserializer::new(map))?,
        ))
    }
}

/// A JSON string, borrowed from the page when it has no escapes.
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

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

/// Calls a page needs before a dictionary is trained on it: fewer make a poor dictionary, or
/// none (zstd refuses too little data).
pub(crate) const MIN_TRAIN_CALLS: usize = 100;
/// Calls a dictionary is trained on, at most, spread over the page. Training time grows with
/// them and compression barely improves past this (measured on the simulator's calls: 250
/// calls 0.2 s, 500 calls 0.45 s, 1000 calls 1% smaller).
const MAX_TRAIN_CALLS: usize = 500;

/// How a page's JSON is compressed.
#[derive(Clone, Copy)]
pub(crate) enum PageDict<'a> {
    /// Each call alone (or plain), as `encoding` says.
    None,
    /// With the org's dictionary.
    Use(&'a EncoderDictionary<'static>),
    /// Train the org's first dictionary on this page and use it, if the page has enough calls
    /// (and the encoding asks for dictionaries); else as `None`.
    Train,
}

/// A dictionary trained on a page: to store (with the page) and to compress later pages with.
pub(crate) struct NewDict {
    pub dict: TrainedDict,
    pub samples: u32,
    pub prepared: Arc<EncoderDictionary<'static>>,
}

pub(crate) struct ParsedPage {
    /// Oldest `createdAt` first (the order the write keeps indexes compact in; see writer.rs).
    pub rows: Vec<CallRow>,
    pub trained: Option<NewDict>,
}

/// Checks and converts a whole page. `org_id` is the org the page was asked for: a call of any
/// other org rejects the page rather than landing in the wrong client's figures.
pub(crate) fn parse_page(
    org_id: &str,
    org_name: &str,
    page: &[Box<RawValue>],
    encoding: RawEncoding,
    dict: PageDict<'_>,
) -> Result<ParsedPage, SyncError> {
    let invalid = |detail| SyncError::InvalidCall {
        org: org_name.to_owned(),
        detail,
    };
    let calls = page
        .iter()
        .map(|call| parse_call(org_id, call.get()))
        .collect::<Result<Vec<_>, String>>()
        .map_err(invalid)?;
    let trained = match (dict, encoding) {
        (PageDict::Train, RawEncoding::ZstdDictionary(level)) => train(&calls, level),
        _ => None,
    };
    let compressing = |e: std::io::Error| invalid(format!("compression failed: {e}"));
    let fresh = trained.as_ref().map(|new| Arc::clone(&new.prepared));
    let mut encoder = match (&fresh, dict) {
        (Some(prepared), _) => raw::Encoder::with_dictionary(prepared),
        (None, PageDict::Use(prepared)) => raw::Encoder::with_dictionary(prepared),
        (None, _) => raw::Encoder::new(encoding),
    }
    .map_err(compressing)?;
    let mut rows = calls
        .into_iter()
        .map(|(mut row, text)| {
            row.raw = encoder.encode(&text).map_err(compressing)?;
            Ok(row)
        })
        .collect::<Result<Vec<_>, SyncError>>()?;
    rows.sort_by_key(|r| r.created);
    Ok(ParsedPage { rows, trained })
}

/// A dictionary trained on up to [`MAX_TRAIN_CALLS`] of the page's calls (their JSON as it
/// will be stored, secrets already removed). `None` when the page is too small or training
/// fails: the calls are then compressed alone, and a later page trains again.
fn train(calls: &[(CallRow, Cow<'_, str>)], level: i32) -> Option<NewDict> {
    if calls.len() < MIN_TRAIN_CALLS {
        return None;
    }
    let step = calls.len().div_ceil(MAX_TRAIN_CALLS);
    let samples: Vec<&str> = calls
        .iter()
        .step_by(step)
        .map(|(_, t)| t.as_ref())
        .collect();
    match TrainedDict::train(&samples) {
        Ok(dict) => Some(NewDict {
            prepared: Arc::new(dict.encoder(level)),
            samples: u32::try_from(samples.len()).unwrap_or(u32::MAX),
            dict,
        }),
        Err(e) => {
            tracing::debug!(error = %e, "no call dictionary trained on this page");
            None
        }
    }
}

fn parse_call<'j>(org_id: &str, json: &'j str) -> Result<(CallRow, Cow<'j, str>), String> {
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
    // Optional times: an unreadable one is left out rather than sinking the page.
    let started = when("startedAt", f.started_at.as_ref()).ok().flatten();
    let ended = when("endedAt", f.ended_at.as_ref()).ok().flatten();
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
    let stored = stored_text(json, f.may_hold_secrets).map_err(|e| format!("call {id}: {e}"))?;
    let row = CallRow {
        assistant_id: text(f.assistant_id),
        call_type: text(f.call_type),
        status: text(f.status),
        ended_reason: text(f.ended_reason),
        created_ms: time::to_ms(created),
        updated_ms: time::to_ms(updated),
        created,
        updated,
        started_ms: started.map(time::to_ms),
        ended_ms: ended.map(time::to_ms),
        duration_seconds,
        cost_micros,
        components,
        minutes: billed_minutes(f.costs.as_deref()),
        raw: Vec::new(),
        success: f.success,
        transcript: text(f.artifact_transcript.or(f.transcript)),
        summary: text(f.analysis_summary.or(f.summary)),
        id,
    };
    Ok((row, stored))
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
fn stored_text(json: &str, suspect: bool) -> Result<Cow<'_, str>, String> {
    if suspect {
        let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        scrub_secrets(&mut value);
        Ok(Cow::Owned(value.to_string()))
    } else {
        Ok(Cow::Borrowed(json))
    }
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
        let rows = parse_page(
            "o1",
            "Acme",
            &page(&[call]),
            RawEncoding::Zstd(1),
            PageDict::None,
        )
        .unwrap()
        .rows;
        let r = &rows[0];
        assert_eq!(r.cost_micros, Some(300_000));
        assert_eq!(r.components[0], Some(2_215));
        assert_eq!(r.components[4], Some(10_845));
        assert_eq!(r.minutes, Some(2.5042));
        assert_eq!(r.duration_seconds, Some(150.25));
        assert_eq!(time::format_ms(r.updated_ms), "2026-11-01T10:05:00.000Z");
        assert_eq!(
            raw::decode_json(&r.raw).unwrap()["endedReason"],
            "customer-ended-call"
        );
    }

    #[test]
    fn success_evaluations_become_verdicts_and_scores_stay_out() {
        let call = |id: &str, evaluation: serde_json::Value| {
            serde_json::json!({"id": id, "orgId": "o1",
                "createdAt": "2026-11-01T10:00:00Z", "updatedAt": "2026-11-01T10:00:00Z",
                "analysis": {"summary": "s", "successEvaluation": evaluation}})
        };
        let calls = [
            call("c1", serde_json::json!(true)),
            call("c2", serde_json::json!("false")),
            call("c3", serde_json::json!("Pass")),
            call("c4", serde_json::json!("8")),
            call("c5", serde_json::json!(null)),
        ];
        let rows = parse_page(
            "o1",
            "Acme",
            &page(&calls),
            RawEncoding::Plain,
            PageDict::None,
        )
        .unwrap()
        .rows;
        let found: Vec<Option<bool>> = rows.iter().map(|r| r.success).collect();
        assert_eq!(found, [Some(true), Some(false), Some(true), None, None]);
        assert_eq!(rows[0].summary.as_deref(), Some("s"));
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
                PageDict::Train,
            )
            .err()
            .unwrap();
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
        let rows = parse_page(
            "o1",
            "Acme",
            &page(&[call]),
            RawEncoding::Plain,
            PageDict::None,
        )
        .unwrap()
        .rows;
        let text = raw::decode(&rows[0].raw).unwrap();
        assert!(
            !text.contains("hook-secret") && !text.contains("sk-live-1"),
            "{text}"
        );
        assert!(text.contains("https://x.example"));
    }

    fn calls(n: usize) -> Vec<serde_json::Value> {
        (0..n)
            .map(|i| {
                serde_json::json!({"id": format!("c{i}"), "orgId": "o1",
                    "createdAt": format!("2026-11-01T10:{:02}:{:02}.000Z", (i / 60) % 60, i % 60),
                    "updatedAt": "2026-11-02T00:00:00Z", "status": "ended",
                    "transcript": format!("AI: Thank you for calling Acme Dental, how can I help?\nUser: I need an appointment on the {}th", i % 28),
                    "assistant": {"server": {"url": "https://x.example", "secret": "hook-secret"}}})
            })
            .collect()
    }

    #[test]
    fn a_large_enough_page_trains_a_dictionary_on_scrubbed_calls_and_uses_it() {
        let encoding = RawEncoding::ZstdDictionary(1);
        let small = parse_page("o1", "Acme", &page(&calls(99)), encoding, PageDict::Train).unwrap();
        assert!(small.trained.is_none());
        let plain = parse_page(
            "o1",
            "Acme",
            &page(&calls(300)),
            RawEncoding::Plain,
            PageDict::Train,
        )
        .unwrap();
        assert!(plain.trained.is_none());

        let parsed =
            parse_page("o1", "Acme", &page(&calls(300)), encoding, PageDict::Train).unwrap();
        let new = parsed.trained.expect("a dictionary");
        assert_eq!(new.samples, 300);
        assert!(
            !new.dict.bytes.windows(11).any(|w| w == b"hook-secret"),
            "the dictionary holds a secret"
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE call_dicts (id INTEGER PRIMARY KEY, dict BLOB NOT NULL)")
            .unwrap();
        conn.execute(
            "INSERT INTO call_dicts (id, dict) VALUES (?1, ?2)",
            (new.dict.id, &new.dict.bytes),
        )
        .unwrap();
        let mut decoder = raw::Decoder::new();
        assert!(parsed.rows.windows(2).all(|w| w[0].created <= w[1].created));
        for row in &parsed.rows {
            assert!(
                matches!(raw::decode(&row.raw), Err(raw::RawError::MissingDictionary(id)) if id == new.dict.id)
            );
            let json = decoder.decode_json(&conn, &row.raw).unwrap();
            assert_eq!(json["id"], row.id.as_str());
            assert!(json["assistant"]["server"].get("secret").is_none());
        }
        // Later pages reuse the org's dictionary.
        let later = parse_page(
            "o1",
            "Acme",
            &page(&calls(5)),
            encoding,
            PageDict::Use(&new.prepared),
        )
        .unwrap();
        assert!(later.trained.is_none());
        assert_eq!(
            decoder.decode_json(&conn, &later.rows[0].raw).unwrap()["id"],
            "c0"
        );
    }
}
