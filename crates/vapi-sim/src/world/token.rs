//! API keys ("tokens"): private keys with full access to their org and
//! public keys that may only create web calls, within their restrictions.

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::time::{format_ms, Millis};
use crate::validate::Fields;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Private,
    Public,
}

impl Tag {
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::Private => "private",
            Tag::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Tag> {
        match s {
            "private" => Some(Tag::Private),
            "public" => Some(Tag::Public),
            _ => None,
        }
    }
}

/// `TokenRestrictions`, stored as given so `GET /token` echoes what was set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restrictions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_assistant_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_transient_assistant: Option<bool>,
}

/// What a web call asks to run, for the restriction check.
#[derive(Debug, Clone, Copy)]
pub enum WebCallTarget<'a> {
    AssistantId(&'a str),
    Transient,
}

impl Restrictions {
    /// Parses and validates a `TokenRestrictions` object. `prefix` is the
    /// property path for messages (`restrictions` in a token body).
    pub fn from_json(obj: &Map<String, Value>, prefix: &str) -> Result<Self, Vec<String>> {
        let mut f = Fields::nested(obj, prefix);
        f.forbid_unknown(&[
            "enabled",
            "allowedOrigins",
            "allowedAssistantIds",
            "allowTransientAssistant",
        ]);
        let enabled = f.opt_bool("enabled");
        let allowed_origins = f.opt_string_array("allowedOrigins");
        if let Some(origins) = &allowed_origins {
            for o in origins {
                if !is_origin(o) {
                    f.error(format!(
                        "{prefix}.allowedOrigins must contain only origins like https://example.com (scheme://host[:port], no path), got {o:?}"
                    ));
                }
            }
        }
        let allowed_assistant_ids = f.opt_string_array("allowedAssistantIds");
        let mut allow_transient_assistant = f.opt_bool("allowTransientAssistant");
        // Vapi: "If allowedAssistantIds is provided, this is automatically false."
        if allowed_assistant_ids.is_some() {
            allow_transient_assistant = Some(false);
        }
        let errors = f.take_errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            enabled,
            allowed_origins,
            allowed_assistant_ids,
            allow_transient_assistant,
        })
    }

    /// The checks of `POST /call/web` for a public key. Refusals are 403.
    pub fn check(&self, origin: Option<&str>, target: WebCallTarget<'_>) -> Result<(), ApiError> {
        if self.enabled == Some(false) {
            return Err(ApiError::forbidden("Key Is Disabled."));
        }
        if let Some(allowed) = self.allowed_origins.as_ref().filter(|a| !a.is_empty()) {
            match origin {
                None => {
                    return Err(ApiError::forbidden(
                        "Origin Not Allowed. This key only works from its allowed origins and the request has no Origin header.",
                    ))
                }
                Some(o) if !allowed.iter().any(|a| a == o) => {
                    return Err(ApiError::forbidden(format!(
                        "Origin Not Allowed. `{o}` is not in this key's allowed origins."
                    )))
                }
                Some(_) => {}
            }
        }
        match target {
            WebCallTarget::AssistantId(id) => {
                if let Some(ids) = &self.allowed_assistant_ids {
                    if !ids.iter().any(|a| a == id) {
                        return Err(ApiError::forbidden(format!(
                            "Assistant Not Allowed. `{id}` is not in this key's allowed assistant ids."
                        )));
                    }
                }
            }
            WebCallTarget::Transient => {
                let allowed = self.allowed_assistant_ids.is_none()
                    && self.allow_transient_assistant != Some(false);
                if !allowed {
                    return Err(ApiError::forbidden(
                        "Transient Assistant Not Allowed. This key only allows saved assistants.",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// An origin as a browser sends it: `scheme://host[:port]`, nothing else.
pub fn is_origin(s: &str) -> bool {
    let Ok(u) = url::Url::parse(s) else {
        return false;
    };
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return false;
    }
    // `Url::origin().ascii_serialization()` normalises; an origin must already
    // be in that form to ever equal a browser's Origin header.
    u.origin().ascii_serialization() == s
}

#[derive(Debug, Clone)]
pub struct Token {
    pub id: Uuid,
    pub org_id: Uuid,
    pub tag: Tag,
    pub name: Option<String>,
    pub value: String,
    pub restrictions: Option<Restrictions>,
    pub created_ms: Millis,
    pub updated_ms: Millis,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenJson<'a> {
    id: String,
    org_id: String,
    tag: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    restrictions: Option<&'a Restrictions>,
    created_at: String,
    updated_at: String,
}

impl Token {
    pub fn to_json(&self) -> TokenJson<'_> {
        TokenJson {
            id: self.id.to_string(),
            org_id: self.org_id.to_string(),
            tag: self.tag.as_str(),
            name: self.name.as_deref(),
            value: &self.value,
            restrictions: self.restrictions.as_ref(),
            created_at: format_ms(self.created_ms),
            updated_at: format_ms(self.updated_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_must_be_exact_browser_origins() {
        assert!(is_origin("https://acme-dental.com"));
        assert!(is_origin("http://localhost:5173"));
        assert!(!is_origin("https://acme-dental.com/"));
        assert!(!is_origin("acme-dental.com"));
        assert!(!is_origin("https://acme-dental.com/path"));
        assert!(!is_origin("ftp://acme-dental.com"));
        assert!(!is_origin("https://ACME.com"));
        assert!(!is_origin("https://acme.com:443"));
        assert!(!is_origin(""));
    }

    fn r(v: Value) -> Restrictions {
        Restrictions::from_json(v.as_object().unwrap(), "restrictions").unwrap()
    }

    #[test]
    fn assistant_ids_force_transient_off() {
        let x =
            r(serde_json::json!({"allowedAssistantIds": ["a"], "allowTransientAssistant": true}));
        assert_eq!(x.allow_transient_assistant, Some(false));
        assert!(x.check(None, WebCallTarget::Transient).is_err());
        assert!(x.check(None, WebCallTarget::AssistantId("a")).is_ok());
        assert!(x.check(None, WebCallTarget::AssistantId("b")).is_err());
    }

    #[test]
    fn empty_origin_list_means_any_origin() {
        let x = r(serde_json::json!({"allowedOrigins": []}));
        assert!(x.check(None, WebCallTarget::Transient).is_ok());
    }

    #[test]
    fn null_entry_is_a_validation_error() {
        let v = serde_json::json!({"allowedOrigins": [null]});
        let errs = Restrictions::from_json(v.as_object().unwrap(), "restrictions").unwrap_err();
        assert_eq!(
            errs,
            vec!["each value in restrictions.allowedOrigins must be a string"]
        );
    }
}
