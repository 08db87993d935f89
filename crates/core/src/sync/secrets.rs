//! Does a call's JSON have a field that `vapi::redact::scrub_secrets` would remove?
//!
//! Almost no call does (secrets only appear in transient assistants, squads or phone numbers
//! given inline), so the sync asks this first, walking the JSON without building a tree, and only
//! for the rare call that may hold one pays for parsing, scrubbing and writing it again.
//!
//! The test here is deliberately wider than the redaction rule: every name `scrub_secrets`
//! removes ends (ignoring case, `_` and `-`) with one of [`SUSPECT_SUFFIXES`]. A false alarm
//! only costs time; a miss would store a secret, so the test suite checks the two rules agree.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Endings of every field name the redaction treats as a secret (its exact names and its
/// `*secret`, `*apikey`, `*password` patterns).
const SUSPECT_SUFFIXES: &[&str] = &[
    "secret",
    "apikey",
    "password",
    "token",
    "credential",
    "credentials",
    "authorization",
    "headers",
    "privatekey",
];

/// Whether `json` may contain a secret-looking field at any depth. Unreadable JSON answers yes,
/// so it takes the careful path (which then reports it).
pub(crate) fn may_hold_secrets(json: &str) -> bool {
    let mut de = serde_json::Deserializer::from_str(json);
    Scan.deserialize(&mut de).unwrap_or(true)
}

/// The longest of [`SUSPECT_SUFFIXES`].
const LONGEST_SUFFIX: usize = {
    let (mut i, mut longest) = (0, 0);
    while i < SUSPECT_SUFFIXES.len() {
        if SUSPECT_SUFFIXES[i].len() > longest {
            longest = SUSPECT_SUFFIXES[i].len();
        }
        i += 1;
    }
    longest
};

/// Called for every field name of every call, so the ASCII path (all real names) normalizes the
/// name's end once, into a buffer on the stack, and compares the suffixes with it.
pub(super) fn suspect_name(name: &str) -> bool {
    if name.is_ascii() {
        // The name's last normalized bytes, last first.
        let mut tail = [0u8; LONGEST_SUFFIX];
        let mut len = 0;
        for b in name.bytes().rev().filter(|b| *b != b'_' && *b != b'-') {
            if len == LONGEST_SUFFIX {
                break;
            }
            tail[len] = b.to_ascii_lowercase();
            len += 1;
        }
        let tail = &tail[..len];
        SUSPECT_SUFFIXES.iter().any(|suffix| {
            suffix.len() <= tail.len() && suffix.bytes().rev().zip(tail).all(|(s, t)| s == *t)
        })
    } else {
        // Same normalization as the redaction (Unicode lower case maps e.g. the Kelvin sign to k).
        let normalized: String = name
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        SUSPECT_SUFFIXES.iter().any(|s| normalized.ends_with(s))
    }
}

/// Walks one JSON value; yields whether any field name in it is suspect.
pub(super) struct Scan;

impl<'de> DeserializeSeed<'de> for Scan {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(ScanVisitor)
    }
}

struct ScanVisitor;

macro_rules! no_fields {
    ($($method:ident: $t:ty),*) => {$(
        fn $method<E>(self, _: $t) -> Result<bool, E> {
            Ok(false)
        }
    )*};
}

impl<'de> Visitor<'de> for ScanVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    no_fields!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        Scan.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(inner) = seq.next_element_seed(Scan)? {
            found |= inner;
        }
        Ok(found)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(suspect) = map.next_key_seed(KeyScan)? {
            found |= suspect;
            found |= map.next_value_seed(Scan)?;
        }
        Ok(found)
    }
}

struct KeyScan;

impl<'de> DeserializeSeed<'de> for KeyScan {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, name: &str) -> Result<bool, E> {
        Ok(suspect_name(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vapi::redact::scrub_secrets;

    /// Names the redaction removes, in the spellings Vapi and providers use.
    const SECRET_NAMES: &[&str] = &[
        "secret",
        "jwtSecret",
        "apiKey",
        "api_key",
        "X-Api-Key",
        "apiSecret",
        "client_secret",
        "credentials",
        "credential",
        "password",
        "Authorization",
        "privateKey",
        "headers",
        "token",
        "accessToken",
        "refresh_token",
        "webhookSecret",
        "openaiApiKey",
        "dbPassword",
        "\u{212A}eySecret",
        "api\u{212A}ey",
    ];

    #[test]
    fn every_name_the_redaction_removes_is_suspect() {
        for name in SECRET_NAMES {
            let mut value = serde_json::json!({ "outer": [{ *name: "x" }] });
            scrub_secrets(&mut value);
            let removed = value["outer"][0].as_object().is_some_and(|o| o.is_empty());
            assert!(
                removed,
                "the redaction no longer removes {name}: update this list"
            );
            let json = serde_json::json!({ "outer": [{ *name: "x" }] }).to_string();
            assert!(
                may_hold_secrets(&json),
                "{name} is removed but not suspected"
            );
        }
    }

    #[test]
    fn suffixes_are_matched_whole_after_normalizing() {
        for name in [
            "token",
            "x_TOKEN",
            "api-key",
            "Pass_Word",
            "my-authorization",
        ] {
            assert!(suspect_name(name), "{name}");
        }
        for name in [
            "",
            "oken",
            "tokens",
            "tokenizer",
            "keyApi",
            "passwords",
            "id",
        ] {
            assert!(!suspect_name(name), "{name}");
        }
    }

    #[test]
    fn ordinary_calls_are_not_suspect() {
        let json = r#"{"id":"c1","costBreakdown":{"llmPromptTokens":12,"ttsCharacters":3},
            "messages":[{"role":"bot","message":"token secret password","time":1}],
            "customer":{"number":"+15550100"},"analysis":{"summary":"apiKey"}}"#;
        assert!(!may_hold_secrets(json));
    }

    #[test]
    fn nested_and_escaped_names_are_found() {
        assert!(may_hold_secrets(
            r#"{"assistant":{"server":{"secret":"s"}}}"#
        ));
        assert!(may_hold_secrets(r#"{"a":[[{"b":{"api\u004bey":"k"}}]]}"#));
        assert!(may_hold_secrets(
            r#"{"phoneNumber":{"twilioAuthToken":"t"}}"#
        ));
        assert!(may_hold_secrets("{\"cut off"));
    }
}
