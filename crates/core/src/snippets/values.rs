//! The request's values, validated once and escaped for each context the templates use.

use url::Url;

use super::escape::{js_string, python_string, script_json, short_comment_text};
use super::{SnippetError, SnippetKind, SnippetRequest, VAPI_API_BASE_URL};

const MAX_ID_LEN: usize = 100;

pub(super) struct Values<'a> {
    pub request: &'a SnippetRequest,
    /// JS string literal of the public key (key-based kinds only).
    pub js_public_key: Option<String>,
    pub js_assistant_id: String,
    pub js_org_id: String,
    pub py_org_id: String,
    /// Button label, e.g. "Talk to Receptionist", as a JS string literal.
    pub js_label: String,
    /// The API base URL when it is not Vapi's own.
    pub custom_base_url: Option<String>,
    pub js_base_url: String,
    pub comment_client: String,
    pub comment_assistant: String,
    /// Allowed origins as a JSON array (valid JS too), script-safe.
    pub js_origins: String,
    pub py_origins: String,
    /// The token restrictions as a JSON object (valid JS too), script-safe.
    pub js_restrictions: String,
    /// The same JSON inside a Python string literal, for `json.loads`.
    pub py_restrictions_json: String,
    pub ttl_secs: String,
}

impl<'a> Values<'a> {
    pub fn prepare(request: &'a SnippetRequest) -> Result<Self, SnippetError> {
        let js_public_key = if request.kind.uses_public_key() {
            let key = request
                .public_key_value
                .as_deref()
                .map(str::trim)
                .unwrap_or_default();
            if key.is_empty() {
                return Err(SnippetError::MissingPublicKey);
            }
            Some(js_string(key))
        } else {
            None
        };
        let assistant_id = check_id(&request.assistant_id, "assistant id")?;
        let org_id = match request.kind {
            SnippetKind::JwtNode | SnippetKind::JwtWorker | SnippetKind::JwtPython => {
                check_id(&request.org_id, "organisation id")?
            }
            _ => request.org_id.trim().to_owned(),
        };
        let custom_base_url = normalize_base_url(request.api_base_url.as_deref())?;
        let base_url = custom_base_url.as_deref().unwrap_or(VAPI_API_BASE_URL);
        let assistant_name = non_empty_or(&request.assistant_name, "our assistant");
        let origins: Vec<String> = request
            .restrictions
            .origin_list()
            .iter()
            .map(ToString::to_string)
            .collect();
        let wire = request.restrictions.to_wire();
        let restrictions_json =
            serde_json::to_string(&wire).map_err(|_| template_bug("RESTRICTIONS"))?;
        Ok(Self {
            request,
            js_public_key,
            js_assistant_id: js_string(&assistant_id),
            js_org_id: js_string(&org_id),
            py_org_id: python_string(&org_id),
            js_label: js_string(&format!("Talk to {}", markup_free(&assistant_name))),
            js_base_url: js_string(base_url),
            custom_base_url,
            comment_client: short_comment_text(&non_empty_or(&request.client_name, "the client")),
            comment_assistant: short_comment_text(&assistant_name),
            js_origins: script_json(&origins).map_err(|_| template_bug("ALLOWED_ORIGINS"))?,
            py_origins: format!(
                "[{}]",
                origins
                    .iter()
                    .map(|o| python_string(o))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            js_restrictions: script_json(&wire).map_err(|_| template_bug("RESTRICTIONS"))?,
            py_restrictions_json: python_string(&restrictions_json),
            ttl_secs: request.token_ttl.as_secs().to_string(),
        })
    }
}

/// The button label loses `<` and `>`: the widgets render it in ways we do not control (possibly
/// as HTML), and a label needs neither.
fn markup_free(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '<' | '>')).collect()
}

fn template_bug(placeholder: &str) -> SnippetError {
    SnippetError::Template {
        placeholder: placeholder.to_owned(),
    }
}

fn non_empty_or(value: &str, fallback: &str) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        fallback
    } else {
        trimmed
    }
    .to_owned()
}

/// Ids are interpolated escaped anyway; the check catches a name or a URL pasted into the id
/// field before it becomes a snippet that silently fails.
fn check_id(value: &str, field: &'static str) -> Result<String, SnippetError> {
    let trimmed = value.trim();
    let valid = !trimmed.is_empty()
        && trimmed.len() <= MAX_ID_LEN
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err(SnippetError::InvalidValue {
            field,
            expected: "letters, digits and hyphens (at most 100)",
        })
    }
}

/// `None` for Vapi's own API; otherwise the URL without a trailing slash (the SDK appends
/// `/call/web` to it).
fn normalize_base_url(raw: Option<&str>) -> Result<Option<String>, SnippetError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let invalid = |reason: &str| SnippetError::InvalidBaseUrl {
        reason: reason.to_owned(),
    };
    let url =
        Url::parse(raw).map_err(|_| invalid("write a full address such as https://api.vapi.ai"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("it must start with http:// or https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("remove the part after ? or #"));
    }
    let text = url.as_str().trim_end_matches('/').to_owned();
    Ok((text != VAPI_API_BASE_URL).then_some(text))
}
