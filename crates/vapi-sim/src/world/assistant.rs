//! Assistants: stored as the JSON configuration they were given (the deep
//! provider schemas are opaque to the simulator), plus id and timestamps.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::time::{format_ms, Millis};
use crate::validate::Fields;

/// The properties of `CreateAssistantDTO` / `UpdateAssistantDTO`. Anything
/// else is refused like Vapi's whitelisting ValidationPipe does.
pub const ASSISTANT_PROPS: &[&str] = &[
    "transcriber",
    "model",
    "voice",
    "firstMessage",
    "firstMessageInterruptionsEnabled",
    "firstMessageMode",
    "voicemailDetection",
    "clientMessages",
    "serverMessages",
    "maxDurationSeconds",
    "backgroundSound",
    "modelOutputInMessagesEnabled",
    "transportConfigurations",
    "observabilityPlan",
    "credentials",
    "hooks",
    "name",
    "voicemailMessage",
    "endCallMessage",
    "endCallPhrases",
    "compliancePlan",
    "metadata",
    "backgroundSpeechDenoisingPlan",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "credentialIds",
    "server",
    "keypadInputPlan",
];

const OBJECT_PROPS: &[&str] = &[
    "transcriber",
    "model",
    "voice",
    "observabilityPlan",
    "compliancePlan",
    "metadata",
    "backgroundSpeechDenoisingPlan",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "server",
    "keypadInputPlan",
];

const BOOL_PROPS: &[&str] = &[
    "firstMessageInterruptionsEnabled",
    "modelOutputInMessagesEnabled",
];

/// Validates an assistant body (create, update, or transient in a web call).
/// `prefix` is the property path used in messages (`assistant` for a
/// transient assistant).
pub fn validate_assistant(obj: &Map<String, Value>, prefix: &str) -> Vec<String> {
    let mut f = Fields::nested(obj, prefix);
    f.forbid_unknown(ASSISTANT_PROPS);
    f.opt_string("name", Some(40));
    f.opt_string("firstMessage", None);
    f.opt_string("voicemailMessage", Some(1000));
    f.opt_string("endCallMessage", Some(1000));
    f.opt_enum(
        "firstMessageMode",
        &[
            "assistant-speaks-first",
            "assistant-speaks-first-with-model-generated-message",
            "assistant-waits-for-user",
        ],
    );
    f.opt_number("maxDurationSeconds", 10.0, 43200.0);
    for key in OBJECT_PROPS {
        f.opt_object(key);
    }
    for key in BOOL_PROPS {
        f.opt_bool(key);
    }
    f.opt_string_array("endCallPhrases");
    f.opt_string_array("credentialIds");
    f.take_errors()
}

#[derive(Debug, Clone)]
pub struct Assistant {
    pub id: Uuid,
    pub org_id: Uuid,
    pub created_ms: Millis,
    pub updated_ms: Millis,
    pub fields: Map<String, Value>,
    /// Which conversation script generated calls of this assistant use.
    pub persona: u8,
}

impl Assistant {
    pub fn name(&self) -> Option<&str> {
        self.fields.get("name").and_then(Value::as_str)
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(self.id.to_string()));
        m.insert("orgId".into(), Value::String(self.org_id.to_string()));
        for (k, v) in &self.fields {
            m.insert(k.clone(), v.clone());
        }
        m.insert(
            "createdAt".into(),
            Value::String(format_ms(self.created_ms)),
        );
        m.insert(
            "updatedAt".into(),
            Value::String(format_ms(self.updated_ms)),
        );
        Value::Object(m)
    }
}
