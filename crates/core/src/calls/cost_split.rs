//! A call's cost split: the `costBreakdown` components and every `costs[]` entry (a squad call
//! has one model, voice and transcriber entry per member), each amount as exact micro-USD.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::json_read::{count, items, number, text};
use super::usd::usd_text;
use crate::vapi::money::usd_to_micros;

/// One component of `costBreakdown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CostPart {
    /// `transport`, `stt`, `llm`, `tts`, `vapi`, `chat`.
    pub component: String,
    /// In plain words ("Speech to text").
    pub label: String,
    /// USD, exact decimal text.
    pub cost: String,
    #[ts(type = "number")]
    pub cost_micros: i64,
}

/// One entry of `costs[]`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CostEntry {
    /// Vapi's `type`: `transport`, `transcriber`, `model`, `voice`, `vapi`, `analysis`, ...
    pub kind: String,
    pub label: String,
    /// The provider (`twilio`, `openai`, `11labs`, ...) when the entry names one.
    pub provider: Option<String>,
    /// The model or voice when the entry names one.
    pub model: Option<String>,
    pub minutes: Option<f64>,
    #[ts(type = "number | null")]
    pub prompt_tokens: Option<u64>,
    #[ts(type = "number | null")]
    pub completion_tokens: Option<u64>,
    #[ts(type = "number | null")]
    pub characters: Option<u64>,
    /// USD, exact decimal text; `None` when the entry carries no amount.
    pub cost: Option<String>,
    #[ts(type = "number | null")]
    pub cost_micros: Option<i64>,
}

const COMPONENTS: [(&str, &str); 6] = [
    ("transport", "Phone line or web transport"),
    ("stt", "Speech to text"),
    ("llm", "Language model"),
    ("tts", "Voice"),
    ("vapi", "Vapi platform fee"),
    ("chat", "Chat"),
];

pub(crate) fn micros_at(v: &Value, path: &[&str]) -> Option<i64> {
    number(v, path).and_then(usd_to_micros)
}

/// The breakdown's components that carry an amount, in Vapi's order.
pub(crate) fn breakdown(call: &Value) -> Vec<CostPart> {
    COMPONENTS
        .iter()
        .filter_map(|(component, label)| {
            let micros = micros_at(call, &["costBreakdown", component])?;
            Some(CostPart {
                component: (*component).to_owned(),
                label: (*label).to_owned(),
                cost: usd_text(micros),
                cost_micros: micros,
            })
        })
        .collect()
}

fn entry_label(kind: &str) -> String {
    match kind {
        "transport" => "Phone line or web transport",
        "transcriber" => "Speech to text",
        "model" => "Language model",
        "voice" => "Voice",
        "vapi" => "Vapi platform fee",
        "analysis" => "Call analysis",
        "voicemail-detection" => "Voicemail detection",
        "knowledge-base" => "Knowledge base",
        other => other,
    }
    .to_owned()
}

/// Every `costs[]` entry that is an object, in Vapi's order.
pub(crate) fn entries(call: &Value) -> Vec<CostEntry> {
    items(call, &["costs"])
        .iter()
        .filter(|e| e.is_object())
        .map(|e| {
            let kind = text(e, &["type"]).unwrap_or_else(|| "other".to_owned());
            // Where the provider and model sit depends on the entry's type.
            let nested = ["transcriber", "model", "voice"]
                .iter()
                .find(|k| e.get(**k).is_some_and(Value::is_object));
            let provider =
                text(e, &["provider"]).or_else(|| nested.and_then(|k| text(e, &[*k, "provider"])));
            let model = nested
                .and_then(|k| text(e, &[*k, "model"]).or_else(|| text(e, &[*k, "voiceId"])))
                .or_else(|| text(e, &["model"]))
                .or_else(|| text(e, &["subType"]));
            let micros = micros_at(e, &["cost"]);
            CostEntry {
                label: entry_label(&kind),
                kind,
                provider,
                model,
                minutes: number(e, &["minutes"]),
                prompt_tokens: count(e, &["promptTokens"]),
                completion_tokens: count(e, &["completionTokens"]),
                characters: count(e, &["characters"]),
                cost: micros.map(usd_text),
                cost_micros: micros,
            }
        })
        .collect()
}
