//! The `Call` object as Vapi returns it, produced from a compact record at
//! serialization time.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::content::costs::{figures, usd, CostFigures};
use crate::content::transcript::{conversation, transcript_text, Conversation, Role};
use crate::time::format_ms;
use crate::world::call::{CallKind, CallRecord, CallStatus};
use crate::world::org::Org;

/// Everything needed to serialize a call without holding the world lock.
#[derive(Debug, Clone)]
pub struct CallSnapshot {
    pub rec: CallRecord,
    pub org_id: Uuid,
    pub phone_number_id: Option<Uuid>,
    pub business: Arc<str>,
}

impl CallSnapshot {
    pub fn new(org: &Org, rec: &CallRecord) -> Self {
        Self {
            rec: rec.clone(),
            org_id: org.id,
            phone_number_id: rec
                .phone
                .and_then(|p| org.phone_numbers.get(usize::from(p)).copied()),
            business: org.business.clone(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MessageJson<'a> {
    role: &'static str,
    message: &'a str,
    time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_time: Option<i64>,
    seconds_from_start: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CostBreakdownJson {
    transport: f64,
    stt: f64,
    llm: f64,
    tts: f64,
    vapi: f64,
    chat: f64,
    total: f64,
    llm_prompt_tokens: u64,
    llm_completion_tokens: u64,
    llm_cached_prompt_tokens: u64,
    tts_characters: u64,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum CostItem {
    #[serde(rename_all = "camelCase")]
    Transport {
        provider: &'static str,
        minutes: f64,
        cost: f64,
    },
    #[serde(rename_all = "camelCase")]
    Transcriber {
        transcriber: Value,
        minutes: f64,
        cost: f64,
    },
    #[serde(rename_all = "camelCase")]
    Model {
        model: Value,
        prompt_tokens: u64,
        completion_tokens: u64,
        cached_prompt_tokens: u64,
        cost: f64,
    },
    #[serde(rename_all = "camelCase")]
    Voice {
        voice: Value,
        characters: u64,
        cost: f64,
    },
    #[serde(rename_all = "camelCase")]
    Vapi {
        sub_type: &'static str,
        minutes: f64,
        cost: f64,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Customer {
    number: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Analysis<'a> {
    summary: &'a str,
    success_evaluation: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    transcript: &'a str,
    recording_url: &'a str,
    stereo_recording_url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CallJson<'a> {
    id: String,
    org_id: String,
    created_at: String,
    updated_at: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assistant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assistant: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assistant_overrides: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_number_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_call_provider: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_call_transport: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_call_provider_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<Customer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    web_call_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ended_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_breakdown: Option<CostBreakdownJson>,
    costs: Vec<CostItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a [MessageJson<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transcript: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recording_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Analysis<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifact: Option<Artifact<'a>>,
}

fn messages<'a>(rec: &CallRecord, conv: &'a Conversation) -> Vec<MessageJson<'a>> {
    let start = rec.started_ms();
    let mut out = Vec::with_capacity(conv.turns.len() + 1);
    out.push(MessageJson {
        role: "system",
        message: &conv.system_prompt,
        time: start,
        end_time: None,
        seconds_from_start: 0.0,
        duration: None,
        source: None,
    });
    for t in &conv.turns {
        let time = start + i64::from(t.start_ms);
        out.push(MessageJson {
            role: t.role.as_str(),
            message: &t.text,
            time,
            end_time: Some(time + i64::from(t.duration_ms)),
            seconds_from_start: f64::from(t.start_ms) / 1000.0,
            duration: Some(t.duration_ms),
            source: (t.role == Role::Bot).then_some(""),
        });
    }
    out
}

fn cost_items(rec: &CallRecord, f: &CostFigures) -> Vec<CostItem> {
    let mut items = vec![CostItem::Transport {
        provider: if rec.kind.is_phone() {
            "twilio"
        } else {
            "daily"
        },
        minutes: f.minutes,
        cost: usd(f.transport),
    }];
    if f.settled {
        items.push(CostItem::Transcriber {
            transcriber: serde_json::json!({"provider": "deepgram", "model": "nova-2"}),
            minutes: f.minutes,
            cost: usd(f.stt),
        });
        items.push(CostItem::Model {
            model: serde_json::json!({"provider": "openai", "model": "gpt-4o"}),
            prompt_tokens: f.prompt_tokens,
            completion_tokens: f.completion_tokens,
            cached_prompt_tokens: f.cached_prompt_tokens,
            cost: usd(f.llm),
        });
        items.push(CostItem::Voice {
            voice: serde_json::json!({"provider": "11labs", "voiceId": "burt"}),
            characters: f.tts_characters,
            cost: usd(f.tts),
        });
    }
    items.push(CostItem::Vapi {
        sub_type: "normal",
        minutes: f.minutes,
        cost: usd(f.vapi),
    });
    items
}

impl Serialize for CallSnapshot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rec = &self.rec;
        let id = rec.id.to_string();
        let ended = rec.status == CallStatus::Ended;
        let conv = conversation(rec, &self.business);
        let msgs = messages(rec, &conv);
        let transcript = transcript_text(&conv.turns);
        let figs = figures(rec, &conv);
        let recording_url = format!("https://storage.sim.vapi.ai/{id}-mono.wav");
        let phone = rec.kind.is_phone();
        let web = rec.web.as_deref();
        let json = CallJson {
            org_id: self.org_id.to_string(),
            created_at: format_ms(rec.created_ms),
            updated_at: format_ms(rec.updated_ms),
            kind: rec.kind.as_str(),
            status: match rec.status {
                CallStatus::Queued => "queued",
                CallStatus::Ended => "ended",
            },
            assistant_id: rec.assistant_id.map(|a| a.to_string()),
            assistant: web.and_then(|w| w.assistant.as_ref()),
            assistant_overrides: web.and_then(|w| w.assistant_overrides.as_ref()),
            metadata: web.and_then(|w| w.metadata.as_ref()),
            name: web.and_then(|w| w.name.as_deref()),
            phone_number_id: self.phone_number_id.map(|p| p.to_string()),
            phone_call_provider: phone.then_some("twilio"),
            phone_call_transport: phone.then_some("pstn"),
            phone_call_provider_id: phone
                .then(|| format!("CA{:016x}{:016x}", rec.seed, rec.seed.rotate_left(17))),
            customer: phone.then(|| Customer {
                number: format!("+1{:010}", rec.customer % 10_000_000_000),
            }),
            web_call_url: (rec.kind == CallKind::Web)
                .then(|| format!("https://sim.daily.co/{}", rec.id.simple())),
            started_at: ended.then(|| format_ms(rec.started_ms())),
            ended_at: ended.then(|| format_ms(rec.ended_ms())),
            ended_reason: ended.then(|| rec.ended_reason()),
            cost: figs.as_ref().map(|f| usd(f.total())),
            cost_breakdown: figs.as_ref().map(|f| CostBreakdownJson {
                transport: usd(f.transport),
                stt: usd(f.stt),
                llm: usd(f.llm),
                tts: usd(f.tts),
                vapi: usd(f.vapi),
                chat: 0.0,
                total: usd(f.total()),
                llm_prompt_tokens: f.prompt_tokens,
                llm_completion_tokens: f.completion_tokens,
                llm_cached_prompt_tokens: f.cached_prompt_tokens,
                tts_characters: f.tts_characters,
            }),
            costs: figs
                .as_ref()
                .map(|f| cost_items(rec, f))
                .unwrap_or_default(),
            messages: ended.then_some(msgs.as_slice()),
            transcript: ended.then_some(transcript.as_str()),
            recording_url: (ended && !conv.turns.is_empty()).then_some(recording_url.as_str()),
            summary: ended.then_some(conv.summary.as_str()),
            analysis: ended.then(|| Analysis {
                summary: &conv.summary,
                success_evaluation: if conv.success { "true" } else { "false" },
            }),
            artifact: ended.then(|| Artifact {
                transcript: &transcript,
                recording_url: &recording_url,
                stereo_recording_url: format!("https://storage.sim.vapi.ai/{id}-stereo.wav"),
            }),
            id,
        };
        match web.and_then(|w| w.injected.as_ref()) {
            None => json.serialize(serializer),
            Some(fields) => {
                let mut value = serde_json::to_value(&json).map_err(serde::ser::Error::custom)?;
                if let Value::Object(map) = &mut value {
                    map.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                value.serialize(serializer)
            }
        }
    }
}
