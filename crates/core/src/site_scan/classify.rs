//! What a key-shaped value found on a page is, judged against the keys of every linked org.
//! Pure: the keys are gathered by `run.rs`; private keys arrive here as SHA-256 digests only.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};

use super::jwt_claims;
use super::report::{ExposedKind, ExposureSeverity};
use crate::key_shapes::{KeyShape, KeyShaped};
use crate::keys::{KeyRestrictions, Origin, OriginScope};

/// A public key of a linked org, as last synced.
pub(super) struct PublicFact {
    pub org_id: String,
    pub key_id: String,
    pub enabled: bool,
    pub restrictions: KeyRestrictions,
}

/// Everything the classification compares with.
#[derive(Default)]
pub(super) struct KnownKeys {
    /// SHA-256 of each linked org's private key, with the org id.
    pub private: Vec<([u8; 32], String)>,
    pub public: HashMap<String, PublicFact>,
    /// Public keys no longer in a linked org's token list: value → (org id, key id).
    pub retired: HashMap<String, (String, String)>,
    /// Ids of linked orgs and their assistants: UUIDs that are not keys.
    pub not_keys: HashSet<String>,
    pub org_names: HashMap<String, String>,
}

pub(super) struct Verdict {
    pub kind: ExposedKind,
    pub severity: ExposureSeverity,
    pub org_id: Option<String>,
    pub key_id: Option<String>,
    pub message: String,
}

pub(super) fn digest(value: &str) -> [u8; 32] {
    Sha256::digest(value.as_bytes()).into()
}

/// The verdict on `hit` found in `text` on a page served from `origin`; `None` for values that
/// are not keys (ids of orgs and assistants) or that look unrelated to Vapi.
pub(super) fn classify(
    known: &KnownKeys,
    hit: &KeyShaped<'_>,
    text: &str,
    origin: Option<&Origin>,
    now_secs: i64,
) -> Option<Verdict> {
    match hit.shape {
        KeyShape::Uuid => classify_uuid(known, hit, text, origin),
        KeyShape::Jwt => classify_jwt(known, hit, text, origin, now_secs),
    }
}

fn classify_uuid(
    known: &KnownKeys,
    hit: &KeyShaped<'_>,
    text: &str,
    origin: Option<&Origin>,
) -> Option<Verdict> {
    let value = hit.value;
    let hash = digest(value);
    if let Some((_, org_id)) = known.private.iter().find(|(h, _)| *h == hash) {
        return Some(Verdict {
            kind: ExposedKind::PrivateKey,
            severity: ExposureSeverity::Critical,
            org_id: Some(org_id.clone()),
            key_id: None,
            message: format!(
                "The private key of {} is on this page: anyone can read it and use the whole org \
                 (calls, assistants, billing). Rotate it now, then remove it from the site.",
                known.name(org_id)
            ),
        });
    }
    if let Some(key) = known.public.get(value) {
        let (kind, severity, message) = if key.enabled {
            public_verdict(&key.restrictions, origin)
        } else {
            (
                ExposedKind::DisabledKey,
                ExposureSeverity::Warning,
                "This public key is turned off, so the widget using it does not start calls. \
                 Put the current key on the page, or turn this one back on."
                    .to_owned(),
            )
        };
        return Some(Verdict {
            kind,
            severity,
            org_id: Some(key.org_id.clone()),
            key_id: Some(key.key_id.clone()),
            message,
        });
    }
    if let Some((org_id, key_id)) = known.retired.get(value) {
        return Some(Verdict {
            kind: ExposedKind::DeletedKey,
            severity: ExposureSeverity::Warning,
            org_id: Some(org_id.clone()),
            key_id: Some(key_id.clone()),
            message: "This public key was deleted at Vapi, so the widget using it does not start \
                      calls. Put the current key on the page."
                .to_owned(),
        });
    }
    if known.not_keys.contains(value) || !near_vapi_words(text, hit) {
        return None;
    }
    Some(unknown())
}

fn classify_jwt(
    known: &KnownKeys,
    hit: &KeyShaped<'_>,
    text: &str,
    origin: Option<&Origin>,
    now_secs: i64,
) -> Option<Verdict> {
    let claims = jwt_claims::read(hit.value).unwrap_or_default();
    let linked = claims
        .org_id
        .as_ref()
        .filter(|id| known.org_names.contains_key(id.as_str()));
    let Some(org_id) = linked else {
        return near_vapi_words(text, hit).then(unknown);
    };
    let token = claims.token.unwrap_or_default();
    let (kind, severity, message) = if token.tag.as_deref() != Some("public") {
        (
            ExposedKind::PrivateJwt,
            ExposureSeverity::Critical,
            format!(
                "A private token of {} is on this page: until it expires anyone can use the org as \
                 its private key would. Rotate the private key that signed it, then remove it.",
                known.name(org_id)
            ),
        )
    } else if claims.exp.is_some_and(|exp| exp <= now_secs) {
        (
            ExposedKind::ExpiredJwt,
            ExposureSeverity::Warning,
            "This public token has expired, so it no longer starts calls: a token written into \
             the page goes stale. Fetch a fresh one from your server when the page loads."
                .to_owned(),
        )
    } else {
        let restrictions = KeyRestrictions::from_wire(token.restrictions.as_ref());
        let (_, severity, message) = public_verdict(&restrictions, origin);
        (ExposedKind::PublicJwt, severity, message)
    };
    Some(Verdict {
        kind,
        severity,
        org_id: Some(org_id.clone()),
        key_id: None,
        message,
    })
}

/// An enabled public key (or token) on a page served from `origin`.
fn public_verdict(
    restrictions: &KeyRestrictions,
    origin: Option<&Origin>,
) -> (ExposedKind, ExposureSeverity, String) {
    let kind = ExposedKind::PublicKey;
    if matches!(restrictions.origins(), OriginScope::Any) {
        return (
            kind,
            ExposureSeverity::High,
            "This public key has no origin restriction: any site can copy it and run calls on \
             this org's bill. Restrict it to the client's site, or rotate it to a restricted key."
                .to_owned(),
        );
    }
    if restrictions.allow_transient() {
        return (
            kind,
            ExposureSeverity::High,
            "This public key allows transient assistants: whoever copies it can start an \
             assistant of their own making on this org's bill. Turn that off or list the \
             assistants it may start."
                .to_owned(),
        );
    }
    match origin {
        Some(origin) if restrictions.allows_origin(origin) => (
            kind,
            ExposureSeverity::Info,
            format!("Restricted to sites including {origin}: as intended."),
        ),
        _ => (
            kind,
            ExposureSeverity::WillNotWork,
            format!(
                "Will not work here: this key's allowed origins do not include {}, so calls \
                 from this page are refused. Add the origin to the key, or use the key made \
                 for this site.",
                origin.map_or_else(|| "this page's origin".to_owned(), ToString::to_string)
            ),
        ),
    }
}

fn unknown() -> Verdict {
    Verdict {
        kind: ExposedKind::Unknown,
        severity: ExposureSeverity::Info,
        org_id: None,
        key_id: None,
        message: "A Vapi-style key of no linked org: someone else's key, or one of an org that \
                  is not linked here."
            .to_owned(),
    }
}

impl KnownKeys {
    fn name<'a>(&'a self, org_id: &'a str) -> &'a str {
        self.org_names.get(org_id).map_or(org_id, String::as_str)
    }
}

/// Words that put a value in Vapi usage, looked for near it (UUIDs are everywhere on the web;
/// only those next to a Vapi call or a key-ish name are reported when they match no key).
const VAPI_WORDS: [&str; 8] = [
    "vapi",
    "publickey",
    "public_key",
    "apikey",
    "api_key",
    "bearer",
    "authorization",
    "token",
];

fn near_vapi_words(text: &str, hit: &KeyShaped<'_>) -> bool {
    let bytes = text.as_bytes();
    let from = hit.start.saturating_sub(200);
    let to = (hit.start + hit.value.len() + 100).min(bytes.len());
    let window = bytes[from..to].to_ascii_lowercase();
    VAPI_WORDS
        .iter()
        .any(|w| window.windows(w.len()).any(|x| x == w.as_bytes()))
}
