//! The `Call` object as Vapi returns it, produced from a compact record at
//! serialization time.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::content::costs::{figures, usd, CostFigures};
use crate::content::transcript::{conversation, transcript_text, Conversation, Role};
use crate::time::format_ms;
use crate::world::call::{CallKind, CallRecord, CallShape, CallStatus};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_call_id: Option<String>,
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
    /// Text or a boolean depending on the rubric; `null` when nothing was said.
    success_evaluation: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    messages: Option<&'a [MessageJson<'a>]>,
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
    squad_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    squad: Option<Value>,
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
    /// `Some(None)`: an explicit `null`, as Vapi sends for a call that never started.
    #[serde(skip_serializing_if = "Option::is_none")]
    artifact: Option<Option<Artifact<'a>>>,
}

fn messages<'a>(rec: &CallRecord, conv: &'a Conversation) -> Vec<MessageJson<'a>> {
    let start = rec.started_ms();
    let mut out = Vec::with_capacity(conv.turns.len() + 1);
    out.push(MessageJson {
        role: "system",
        message: Some(&conv.system_prompt),
        tool_calls: None,
        name: None,
        result: None,
        tool_call_id: None,
        time: start,
        end_time: None,
        seconds_from_start: 0.0,
        duration: None,
        source: None,
    });
    // A quarter of the conversations look something up mid-call: a tool call and its result
    // after the customer's first line (messages only; the transcript has no tool lines).
    let tool_after = (rec.seed >> 8 & 3 == 0 && conv.turns.len() >= 3).then_some(1);
    for (i, t) in conv.turns.iter().enumerate() {
        let time = start + i64::from(t.start_ms);
        out.push(MessageJson {
            role: t.role.as_str(),
            message: Some(&t.text),
            tool_calls: None,
            name: None,
            result: None,
            tool_call_id: None,
            time,
            end_time: Some(time + i64::from(t.duration_ms)),
            seconds_from_start: f64::from(t.start_ms) / 1000.0,
            duration: Some(t.duration_ms),
            source: (t.role == Role::Bot).then_some(""),
        });
        if tool_after == Some(i) {
            let at_ms = t.start_ms + t.duration_ms;
            let call_id = format!("call_{:016x}", rec.seed);
            for (role, offset) in [("tool_calls", 50), ("tool_call_result", 400)] {
                let tool = role == "tool_calls";
                out.push(MessageJson {
                    role,
                    message: None,
                    tool_calls: tool.then(|| {
                        serde_json::json!([{"id": call_id, "type": "function", "function":
                            {"name": "checkAvailability", "arguments": "{\"day\":\"next open day\"}"}}])
                    }),
                    name: (!tool).then_some("checkAvailability"),
                    result: (!tool).then_some("Open slots: 9:00, 11:30 and 15:00."),
                    tool_call_id: (!tool).then(|| call_id.clone()),
                    time: start + i64::from(at_ms + offset),
                    end_time: None,
                    seconds_from_start: f64::from(at_ms + offset) / 1000.0,
                    duration: None,
                    source: None,
                });
            }
        }
    }
    out
}

/// `total` in `parts` shares adding up to it exactly (the last takes the remainder).
fn split(total: i64, parts: usize) -> Vec<i64> {
    let n = i64::try_from(parts.max(1)).unwrap_or(1);
    let share = total / n;
    (0..n)
        .map(|i| {
            if i == n - 1 {
                total - share * (n - 1)
            } else {
                share
            }
        })
        .collect()
}

fn split_count(total: u64, parts: usize) -> Vec<u64> {
    split(i64::try_from(total).unwrap_or(i64::MAX), parts)
        .into_iter()
        .map(|v| u64::try_from(v).unwrap_or(0))
        .collect()
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
        // A squad's members each have their own transcriber, model and voice entries.
        let members = match rec.shape() {
            CallShape::Squad { members, .. } => members.len().max(1),
            _ => 1,
        };
        let (stt, llm, tts) = (
            split(f.stt, members),
            split(f.llm, members),
            split(f.tts, members),
        );
        let prompt = split_count(f.prompt_tokens, members);
        let completion = split_count(f.completion_tokens, members);
        let cached = split_count(f.cached_prompt_tokens, members);
        let chars = split_count(f.tts_characters, members);
        let voices = ["burt", "sarah", "andrew", "jennifer"];
        for m in 0..members {
            items.push(CostItem::Transcriber {
                transcriber: serde_json::json!({"provider": "deepgram", "model": "nova-2"}),
                minutes: f.minutes,
                cost: usd(stt[m]),
            });
            items.push(CostItem::Model {
                model: serde_json::json!({"provider": "openai", "model": "gpt-4o"}),
                prompt_tokens: prompt[m],
                completion_tokens: completion[m],
                cached_prompt_tokens: cached[m],
                cost: usd(llm[m]),
            });
            items.push(CostItem::Voice {
                voice: serde_json::json!({"provider": "11labs", "voiceId": voices[m % voices.len()]}),
                characters: chars[m],
                cost: usd(tts[m]),
            });
        }
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
        let failed = *rec.shape() == CallShape::StartFailed;
        let ended = rec.status == CallStatus::Ended;
        // What only a call that started has.
        let ran = ended && !failed;
        let squad = match rec.shape() {
            CallShape::Squad { id, members } => Some((id, members)),
            _ => None,
        };
        // A quarter of the calls carry their messages the newer way, in the artifact only.
        let in_artifact = rec.seed >> 10 & 3 == 0;
        let conv = conversation(rec, &self.business);
        // Rubrics differ: some assistants' evaluations come as a boolean, most as text; a call
        // where nobody spoke has none.
        let evaluation = match (conv.turns.is_empty(), rec.seed >> 12 & 1 == 1) {
            (true, _) => Value::Null,
            (false, true) => Value::Bool(conv.success),
            (false, false) => Value::String(conv.success.to_string()),
        };
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
            squad_id: squad.map(|(id, _)| id.to_string()),
            squad: squad.map(|(_, members)| {
                let members: Vec<Value> = members
                    .iter()
                    .map(|m| serde_json::json!({"assistantId": m.to_string()}))
                    .collect();
                serde_json::json!({"name": format!("{} squad", self.business), "members": members})
            }),
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
            started_at: ran.then(|| format_ms(rec.started_ms())),
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
            messages: (ran && !in_artifact).then_some(msgs.as_slice()),
            transcript: ran.then_some(transcript.as_str()),
            recording_url: (ran && !conv.turns.is_empty()).then_some(recording_url.as_str()),
            summary: ran.then_some(conv.summary.as_str()),
            analysis: ran.then(|| Analysis {
                summary: &conv.summary,
                success_evaluation: evaluation,
            }),
            artifact: ended.then(|| {
                ran.then(|| Artifact {
                    messages: in_artifact.then_some(msgs.as_slice()),
                    transcript: &transcript,
                    recording_url: &recording_url,
                    stereo_recording_url: format!("https://storage.sim.vapi.ai/{id}-stereo.wav"),
                })
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
