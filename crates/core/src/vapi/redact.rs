//! Removing secrets from what Vapi sends back before it is stored or shown.

use serde_json::Value;

use crate::sensitive::{SecretKey, REDACTED};

/// Field names (compared lower-case, without `_` and `-`) whose values are credentials: provider
/// API keys in transient assistants, webhook secrets, custom auth headers, the org JWT secret.
const SECRET_FIELDS: &[&str] = &[
    "secret",
    "jwtsecret",
    "apikey",
    "apisecret",
    "clientsecret",
    "credentials",
    "credential",
    "password",
    "authorization",
    "privatekey",
    "headers",
    "token",
    "accesstoken",
    "refreshtoken",
];

fn is_secret_field(name: &str) -> bool {
    let normalized: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_FIELDS.contains(&normalized.as_str())
        || normalized.ends_with("secret")
        || normalized.ends_with("apikey")
        || normalized.ends_with("password")
        // twilioAuthToken, vonageAuthToken, authToken...; counts such as `maxTokens` or
        // `llmPromptTokens` end in "tokens" and stay.
        || normalized.ends_with("token")
}

/// Removes every secret-looking field, at any depth.
pub fn scrub_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|name, _| !is_secret_field(name));
            map.values_mut().for_each(scrub_secrets);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_secrets),
        _ => {}
    }
}

/// `text` with every occurrence of `key` replaced, for server messages that might echo it.
/// Keys shorter than 4 bytes are not searched for (no real key is that short).
pub fn without_key(text: &str, key: &SecretKey) -> String {
    let key = key.expose().as_str();
    if key.len() < 4 || !text.contains(key) {
        return text.to_owned();
    }
    let replaced = text.replace(key, REDACTED);
    // A key that overlaps the marker could form again around it: then nothing of the text is
    // kept rather than a trace of the key.
    if !replaced.contains(key) {
        replaced
    } else if !REDACTED.contains(key) {
        REDACTED.to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_nested_credentials_but_keeps_the_rest() {
        let mut v = serde_json::json!({
            "id": "a1",
            "name": "Front desk",
            "server": {"url": "https://hook.example", "secret": "s3", "headers": {"Authorization": "Bearer x"}},
            "credentials": [{"provider": "openai", "apiKey": "sk-1"}],
            "model": {"provider": "openai", "openaiApiKey": "sk-2", "maxTokens": 250},
            "llmPromptTokens": 12,
            "phoneNumber": {"provider": "twilio", "twilioAuthToken": "tw-3", "authToken": "tw-4"},
            "maxTokens": 250
        });
        scrub_secrets(&mut v);
        let text = v.to_string();
        for gone in ["s3", "Bearer x", "sk-1", "sk-2", "tw-3", "tw-4"] {
            assert!(!text.contains(gone), "{gone} survived in {text}");
        }
        assert_eq!(v["server"]["url"], "https://hook.example");
        assert_eq!(v["model"]["maxTokens"], 250);
        assert_eq!(v["llmPromptTokens"], 12);
        assert_eq!(v["maxTokens"], 250);
        assert_eq!(v["phoneNumber"]["provider"], "twilio");
    }

    #[test]
    fn removes_the_key_from_messages() {
        let key = SecretKey::new("abcd-1234-secret".into());
        assert_eq!(
            without_key("bad key abcd-1234-secret given", &key),
            "bad key <redacted> given"
        );
    }
}
