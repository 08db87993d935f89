//! Key hygiene rules. Pure: the caller gathers token metadata and checks private keys; this
//! module only judges, so every rule is testable without a network.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::describe::{join, ANY_ASSISTANT_WARNING, ANY_ORIGIN_WARNING, TRANSIENT_WARNING};
use super::restrictions::{AssistantScope, KeyRestrictions, OriginScope};

/// Keys older than this are due for rotation unless the user configures otherwise.
pub const DEFAULT_MAX_KEY_AGE_DAYS: i64 = 180;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum Severity {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum FindingKind {
    NoOriginRestriction,
    TransientAllowed,
    NoAssistantRestriction,
    PlainHttpOrigin,
    LocalhostWithProduction,
    UnusableOrigin,
    DisabledButPresent,
    OlderThanMaxAge,
    PrivateKeyNotWorking,
}

/// The fix a finding offers. All but `ChooseOrigins`, `ChooseAssistants` and
/// `ReconnectPrivateKey` apply in one click; those three open a form for the user's choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum Fix {
    /// Ask which websites may use the key.
    ChooseOrigins,
    /// Ask which assistants the key may start.
    ChooseAssistants,
    /// Set `allowTransientAssistant` to false.
    DisallowTransient,
    /// Replace an http origin with its https form.
    UseHttps { from: String, to: String },
    /// Remove these allowed origins (exactly as stored).
    RemoveOrigins { origins: Vec<String> },
    /// Replace the key with a new one carrying the same restrictions.
    RotateKey,
    /// Delete the (disabled) key.
    DeleteKey,
    /// Paste a working private key for the organisation again.
    ReconnectPrivateKey,
}

impl Fix {
    pub fn is_one_click(&self) -> bool {
        !matches!(
            self,
            Self::ChooseOrigins | Self::ChooseAssistants | Self::ReconnectPrivateKey
        )
    }

    /// The fix as a button or a CLI hint says it.
    pub fn label(&self) -> String {
        match self {
            Self::ChooseOrigins => "Choose the websites that may use it".to_owned(),
            Self::ChooseAssistants => "Choose the assistants it may start".to_owned(),
            Self::DisallowTransient => "Refuse transient assistants".to_owned(),
            Self::UseHttps { to, .. } => format!("Use {to}"),
            Self::RemoveOrigins { origins } => format!("Remove {}", join(origins, "and")),
            Self::RotateKey => "Rotate to a new key".to_owned(),
            Self::DeleteKey => "Delete the key".to_owned(),
            Self::ReconnectPrivateKey => "Paste the private key again".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Finding {
    pub severity: Severity,
    pub kind: FindingKind,
    pub org_id: String,
    pub org_name: String,
    /// `None` for findings about the organisation's private key.
    pub key_id: Option<String>,
    pub key_name: Option<String>,
    pub message: String,
    pub fix: Fix,
    /// [`Fix::label`], for the button.
    pub fix_label: String,
    pub one_click: bool,
}

/// One public key as the audit sees it.
#[derive(Debug, Clone)]
pub struct PublicKeyFacts<'a> {
    pub org_id: &'a str,
    pub org_name: &'a str,
    pub key_id: &'a str,
    pub key_name: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub restrictions: &'a KeyRestrictions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivateKeyStatus {
    Works,
    /// Vapi answered 401: the key was deleted or rotated at Vapi.
    Rejected,
    /// Not checked (offline, no key stored): no finding either way.
    Unchecked,
}

#[derive(Debug, Clone)]
pub struct PrivateKeyCheck<'a> {
    pub org_id: &'a str,
    pub org_name: &'a str,
    pub status: PrivateKeyStatus,
}

#[derive(Debug, Clone, Copy)]
pub struct AuditPolicy {
    pub now: DateTime<Utc>,
    pub max_key_age: Duration,
}

impl AuditPolicy {
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            max_key_age: Duration::days(DEFAULT_MAX_KEY_AGE_DAYS),
        }
    }
}

pub fn audit_public_key(key: &PublicKeyFacts<'_>, policy: &AuditPolicy) -> Vec<Finding> {
    let r = key.restrictions;
    let finding = |severity, kind, message: String, fix: Fix| Finding {
        severity,
        kind,
        org_id: key.org_id.to_owned(),
        org_name: key.org_name.to_owned(),
        key_id: Some(key.key_id.to_owned()),
        key_name: key.key_name.map(str::to_owned),
        message,
        one_click: fix.is_one_click(),
        fix_label: fix.label(),
        fix,
    };
    if !r.enabled() {
        // A disabled key starts nothing; its other settings only matter if it is turned back on,
        // and the fix for all of them is the same: delete it.
        return vec![finding(
            Severity::Low,
            FindingKind::DisabledButPresent,
            "This key is turned off but still exists: delete it once no page uses it, so it cannot \
             be turned back on by mistake."
                .to_owned(),
            Fix::DeleteKey,
        )];
    }
    let mut out = Vec::new();
    if *r.origins() == OriginScope::Any {
        out.push(finding(
            Severity::High,
            FindingKind::NoOriginRestriction,
            ANY_ORIGIN_WARNING.to_owned(),
            Fix::ChooseOrigins,
        ));
    }
    if r.allow_transient() {
        out.push(finding(
            Severity::High,
            FindingKind::TransientAllowed,
            TRANSIENT_WARNING.to_owned(),
            Fix::DisallowTransient,
        ));
    }
    if *r.assistants() == AssistantScope::Any {
        out.push(finding(
            Severity::Medium,
            FindingKind::NoAssistantRestriction,
            ANY_ASSISTANT_WARNING.to_owned(),
            Fix::ChooseAssistants,
        ));
    }
    for origin in r
        .origin_list()
        .iter()
        .filter(|o| o.is_insecure_production())
    {
        let https = origin.to_string().replacen("http://", "https://", 1);
        out.push(finding(
            Severity::Medium,
            FindingKind::PlainHttpOrigin,
            format!(
                "{origin} is plain http: the page and the key travel unencrypted. Use {https}."
            ),
            Fix::UseHttps {
                from: origin.to_string(),
                to: https,
            },
        ));
    }
    let local: Vec<String> = r
        .origin_list()
        .iter()
        .filter(|o| o.is_local_dev())
        .map(ToString::to_string)
        .collect();
    if !local.is_empty() && r.origin_list().iter().any(|o| !o.is_local_dev()) {
        out.push(finding(
            Severity::Medium,
            FindingKind::LocalhostWithProduction,
            format!(
                "This production key also allows {}: anyone can serve a page from their own \
                 computer at such an address. Use a separate development key.",
                join(&local, "and")
            ),
            Fix::RemoveOrigins { origins: local },
        ));
    }
    if !r.unusable_origins().is_empty() {
        let problems: Vec<String> = r
            .unusable_origins()
            .iter()
            .map(|u| u.problem.clone())
            .collect();
        out.push(finding(
            Severity::Low,
            FindingKind::UnusableOrigin,
            problems.join(". "),
            Fix::RemoveOrigins {
                origins: r.unusable_origins().iter().map(|u| u.raw.clone()).collect(),
            },
        ));
    }
    let age = policy.now.signed_duration_since(key.created_at);
    if age > policy.max_key_age {
        out.push(finding(
            Severity::Low,
            FindingKind::OlderThanMaxAge,
            format!(
                "This key is {} days old (the limit is {} days): rotate it to a fresh one.",
                age.num_days(),
                policy.max_key_age.num_days()
            ),
            Fix::RotateKey,
        ));
    }
    out
}

pub fn audit_private_key(check: &PrivateKeyCheck<'_>) -> Option<Finding> {
    (check.status == PrivateKeyStatus::Rejected).then(|| Finding {
        severity: Severity::High,
        kind: FindingKind::PrivateKeyNotWorking,
        org_id: check.org_id.to_owned(),
        org_name: check.org_name.to_owned(),
        key_id: None,
        key_name: None,
        message: "Vapi no longer accepts the private key saved for this organisation (it was \
                  probably deleted or rotated in the Vapi dashboard): syncing and key management \
                  stop until a working key is pasted again."
            .to_owned(),
        one_click: Fix::ReconnectPrivateKey.is_one_click(),
        fix_label: Fix::ReconnectPrivateKey.label(),
        fix: Fix::ReconnectPrivateKey,
    })
}

/// All findings for a set of keys, most severe first, then by organisation and key.
pub fn audit_all(
    public_keys: &[PublicKeyFacts<'_>],
    private_keys: &[PrivateKeyCheck<'_>],
    policy: &AuditPolicy,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = private_keys
        .iter()
        .filter_map(audit_private_key)
        .chain(public_keys.iter().flat_map(|k| audit_public_key(k, policy)))
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.org_name.cmp(&b.org_name))
            .then_with(|| a.key_id.cmp(&b.key_id))
    });
    findings
}
