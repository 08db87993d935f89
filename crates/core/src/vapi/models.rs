//! Vapi API objects, as far as agencydesk reads them.
//!
//! Tolerant by design: unknown fields are ignored, enum values Vapi adds later are kept as text
//! (`Other(String)`), and everything the API does not promise is an `Option`. Objects agencydesk
//! stores keep Vapi's JSON alongside (`raw`, secret-looking fields removed) so nothing is lost.
//!
//! `Org` deliberately has no `jwtSecret` field and no catch-all map, so the org's JWT secret is
//! dropped while parsing and cannot reach a log or the database.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::subscription::{lenient, Subscription};
use crate::sensitive::SecretKey;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub id: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "lenient")]
    pub billing_limit: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub concurrency_limit: Option<f64>,
    pub channel: Option<String>,
    /// Call minutes of this org across all time.
    #[serde(default, deserialize_with = "lenient")]
    pub minutes_used: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub subscription: Option<Subscription>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrgDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_limit: Option<f64>,
}

pub type UpdateOrgDto = CreateOrgDto;

/// A token's tag: what the key may do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum TokenTag {
    /// Full API access; must never reach a browser.
    Private,
    /// Only starts web calls; meant to be embedded in web pages.
    Public,
    /// A tag this version of agencydesk does not know.
    #[serde(untagged)]
    Other(String),
}

impl TokenTag {
    pub fn as_str(&self) -> &str {
        match self {
            TokenTag::Private => "private",
            TokenTag::Public => "public",
            TokenTag::Other(tag) => tag,
        }
    }
}

/// Limits on what a public key may do on `POST /call/web`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct TokenRestrictions {
    /// Vapi's default is `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub enabled: Option<bool>,
    /// Allowed `Origin` values; absent means any origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub allowed_origins: Option<Vec<String>>,
    /// Allowed assistants; absent means any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub allowed_assistant_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub allow_transient_assistant: Option<bool>,
}

/// An API key of an org. `value` is the key itself; it is a [`SecretKey`] for every tag, so
/// even a private token's value prints as `<redacted>`. Read public values with
/// [`Token::public_value`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    pub id: String,
    pub org_id: String,
    pub tag: Option<TokenTag>,
    pub name: Option<String>,
    pub restrictions: Option<TokenRestrictions>,
    pub value: Option<SecretKey>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Token {
    /// A token without a tag is treated as private: the safe reading.
    pub fn is_public(&self) -> bool {
        self.tag == Some(TokenTag::Public)
    }

    /// The key of a public token (safe to show and embed); `None` for any other tag.
    pub fn public_value(&self) -> Option<&str> {
        if self.is_public() {
            self.value.as_ref().map(|v| v.expose().as_str())
        } else {
            None
        }
    }

    /// Whether the key works: Vapi's `restrictions.enabled`, which defaults to true.
    pub fn is_enabled(&self) -> bool {
        self.restrictions
            .as_ref()
            .and_then(|r| r.enabled)
            .unwrap_or(true)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTokenDto {
    pub tag: TokenTag,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<TokenRestrictions>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTokenDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<TokenTag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<TokenRestrictions>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assistant {
    pub id: String,
    pub org_id: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Vapi's JSON for this assistant, secret-looking fields removed.
    #[serde(skip)]
    pub raw: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallType {
    #[serde(rename = "inboundPhoneCall")]
    InboundPhoneCall,
    #[serde(rename = "outboundPhoneCall")]
    OutboundPhoneCall,
    #[serde(rename = "webCall")]
    WebCall,
    #[serde(rename = "vapi.websocketCall")]
    WebsocketCall,
    #[serde(untagged)]
    Other(String),
}

impl CallType {
    pub fn as_str(&self) -> &str {
        match self {
            CallType::InboundPhoneCall => "inboundPhoneCall",
            CallType::OutboundPhoneCall => "outboundPhoneCall",
            CallType::WebCall => "webCall",
            CallType::WebsocketCall => "vapi.websocketCall",
            CallType::Other(other) => other,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    Scheduled,
    Queued,
    Ringing,
    InProgress,
    Forwarding,
    Ended,
    NotFound,
    DeletionFailed,
    #[serde(untagged)]
    Other(String),
}

impl CallStatus {
    pub fn as_str(&self) -> &str {
        match self {
            CallStatus::Scheduled => "scheduled",
            CallStatus::Queued => "queued",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Forwarding => "forwarding",
            CallStatus::Ended => "ended",
            CallStatus::NotFound => "not-found",
            CallStatus::DeletionFailed => "deletion-failed",
            CallStatus::Other(other) => other,
        }
    }
}

/// USD per component. Floats because that is what Vapi sends; convert with
/// [`super::money::usd_to_micros`] before adding anything up.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostBreakdown {
    pub transport: Option<f64>,
    pub stt: Option<f64>,
    pub llm: Option<f64>,
    pub tts: Option<f64>,
    pub vapi: Option<f64>,
    pub chat: Option<f64>,
    pub total: Option<f64>,
    pub llm_prompt_tokens: Option<f64>,
    pub llm_completion_tokens: Option<f64>,
    pub tts_characters: Option<f64>,
}

/// One entry of `Call.costs`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostItem {
    /// `transport`, `transcriber`, `model`, `voice`, `vapi`, `analysis`, ...
    #[serde(rename = "type", default)]
    pub kind: String,
    pub cost: Option<f64>,
    pub minutes: Option<f64>,
    pub sub_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    pub id: String,
    pub org_id: String,
    #[serde(rename = "type")]
    pub call_type: Option<CallType>,
    pub status: Option<CallStatus>,
    pub ended_reason: Option<String>,
    pub assistant_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub cost: Option<f64>,
    pub cost_breakdown: Option<CostBreakdown>,
    pub costs: Option<Vec<CostItem>>,
    /// Set on calls created through `POST /call/web`.
    pub web_call_url: Option<String>,
    /// Vapi's JSON for this call, secret-looking fields removed.
    #[serde(skip)]
    pub raw: serde_json::Value,
}

/// Filters of `GET /call`. Results come newest first; there is no cursor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallFilter {
    pub id: Option<String>,
    pub assistant_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub created_at_gt: Option<DateTime<Utc>>,
    pub created_at_lt: Option<DateTime<Utc>>,
    pub created_at_ge: Option<DateTime<Utc>>,
    pub created_at_le: Option<DateTime<Utc>>,
    pub updated_at_gt: Option<DateTime<Utc>>,
    pub updated_at_lt: Option<DateTime<Utc>>,
    pub updated_at_ge: Option<DateTime<Utc>>,
    pub updated_at_le: Option<DateTime<Utc>>,
    /// 0-1000; Vapi's default is 100.
    pub limit: Option<u32>,
}

impl CallFilter {
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        let texts = [
            ("id", &self.id),
            ("assistantId", &self.assistant_id),
            ("phoneNumberId", &self.phone_number_id),
        ];
        for (name, value) in texts {
            if let Some(value) = value {
                query.push((name, value.clone()));
            }
        }
        let times = [
            ("createdAtGt", self.created_at_gt),
            ("createdAtLt", self.created_at_lt),
            ("createdAtGe", self.created_at_ge),
            ("createdAtLe", self.created_at_le),
            ("updatedAtGt", self.updated_at_gt),
            ("updatedAtLt", self.updated_at_lt),
            ("updatedAtGe", self.updated_at_ge),
            ("updatedAtLe", self.updated_at_le),
        ];
        for (name, value) in times {
            if let Some(t) = value {
                query.push((name, crate::store::time::format(t)));
            }
        }
        if let Some(limit) = self.limit {
            query.push(("limit", limit.to_string()));
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_and_enum_values_are_tolerated() {
        let call: Call = serde_json::from_value(serde_json::json!({
            "id": "c1", "orgId": "o1", "type": "vapi.sipCall", "status": "teleporting",
            "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:01.000Z",
            "brandNewField": {"x": 1},
            "costs": [{"type": "transport", "cost": 0.01, "minutes": 1.5, "provider": "daily"}]
        }))
        .unwrap();
        assert_eq!(call.call_type, Some(CallType::Other("vapi.sipCall".into())));
        assert_eq!(
            call.status.as_ref().map(CallStatus::as_str),
            Some("teleporting")
        );
        assert_eq!(call.costs.unwrap()[0].minutes, Some(1.5));

        let known: Call = serde_json::from_value(serde_json::json!({
            "id": "c2", "orgId": "o1", "type": "webCall", "status": "in-progress",
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(known.call_type, Some(CallType::WebCall));
        assert_eq!(known.status, Some(CallStatus::InProgress));
    }

    #[test]
    fn private_token_values_never_print_and_are_not_public() {
        let token: Token = serde_json::from_value(serde_json::json!({
            "id": "t1", "orgId": "o1", "tag": "private", "value": "priv-secret-value",
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert!(!format!("{token:?}").contains("priv-secret-value"));
        assert_eq!(token.public_value(), None);

        let public: Token = serde_json::from_value(serde_json::json!({
            "id": "t2", "orgId": "o1", "tag": "public", "value": "pub-value",
            "restrictions": {"enabled": false, "allowedOrigins": ["https://a.example"]},
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(public.public_value(), Some("pub-value"));
        assert!(!public.is_enabled());
    }

    #[test]
    fn org_drops_its_jwt_secret() {
        let org: Org = serde_json::from_value(serde_json::json!({
            "id": "o1", "name": "Acme", "jwtSecret": "very-secret",
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"
        }))
        .unwrap();
        assert!(!format!("{org:?}").contains("very-secret"));
    }

    #[test]
    fn call_filter_builds_vapi_query_names() {
        let t = crate::store::time::parse("2026-03-01T10:00:00Z").unwrap();
        let q = CallFilter {
            assistant_id: Some("a1".into()),
            created_at_lt: Some(t),
            updated_at_ge: Some(t),
            limit: Some(1000),
            ..CallFilter::default()
        }
        .to_query();
        assert_eq!(
            q,
            vec![
                ("assistantId", "a1".to_owned()),
                ("createdAtLt", "2026-03-01T10:00:00.000Z".to_owned()),
                ("updatedAtGe", "2026-03-01T10:00:00.000Z".to_owned()),
                ("limit", "1000".to_owned()),
            ]
        );
    }

    #[test]
    fn tags_round_trip_including_unknown_ones() {
        assert_eq!(
            serde_json::to_string(&TokenTag::Public).unwrap(),
            "\"public\""
        );
        let other: TokenTag = serde_json::from_str("\"server\"").unwrap();
        assert_eq!(other, TokenTag::Other("server".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"server\"");
    }
}
