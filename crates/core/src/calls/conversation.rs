//! A call's conversation as the detail shows it, from `artifact.messages` (where Vapi puts it
//! now) or the older top-level `messages`: who spoke, when, and the tools the assistant called.

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::json_read::{at, epoch_ms, items, number, text};
use crate::store::time;

/// One tool the assistant asked for during the call.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ToolCall {
    pub name: Option<String>,
    /// The arguments as Vapi sent them (usually a JSON text).
    pub arguments: Option<String>,
}

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallMessage {
    /// `assistant`, `customer`, `system`, `tool-calls`, `tool-result`, or Vapi's own word for a
    /// role agencydesk does not know.
    pub role: String,
    pub text: Option<String>,
    /// When the line started.
    pub at: Option<String>,
    pub seconds_from_start: Option<f64>,
    /// For `tool-calls`: what the assistant called.
    pub tool_calls: Vec<ToolCall>,
    /// For `tool-result`: the tool that answered.
    pub tool_name: Option<String>,
}

/// The conversation's lines in the order Vapi keeps them; empty when the call has none (it never connected,
/// or its artifact is gone).
pub(crate) fn messages(call: &Value) -> Vec<CallMessage> {
    let list = match items(call, &["artifact", "messages"]) {
        [] => items(call, &["messages"]),
        found => found,
    };
    list.iter().filter_map(message).collect()
}

fn role(raw: &str) -> String {
    match raw {
        "bot" | "assistant" => "assistant",
        "user" | "customer" => "customer",
        "tool_calls" | "tool-calls" => "tool-calls",
        "tool_call_result" | "tool" | "tool-result" => "tool-result",
        other => other,
    }
    .to_owned()
}

fn message(m: &Value) -> Option<CallMessage> {
    if !m.is_object() {
        return None;
    }
    let role = role(&text(m, &["role"]).unwrap_or_else(|| "unknown".to_owned()));
    let body = text(m, &["message"])
        .or_else(|| text(m, &["content"]))
        .or_else(|| text(m, &["result"]))
        .or_else(|| at(m, &["result"]).map(Value::to_string));
    let tool_calls = items(m, &["toolCalls"])
        .iter()
        .map(|c| ToolCall {
            name: text(c, &["function", "name"]).or_else(|| text(c, &["name"])),
            arguments: at(c, &["function", "arguments"])
                .or_else(|| at(c, &["arguments"]))
                .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_owned)),
        })
        .collect();
    Some(CallMessage {
        at: number(m, &["time"]).and_then(epoch_ms).map(time::format),
        seconds_from_start: number(m, &["secondsFromStart"]),
        tool_name: text(m, &["name"]).filter(|_| role == "tool-result"),
        role,
        text: body,
        tool_calls,
    })
}
