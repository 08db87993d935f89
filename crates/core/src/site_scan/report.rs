//! What a scan found, as the app, the CLI and the key audit show it. Keys appear only as
//! fingerprints; the report is stored as is for the key audit's "last site check" line.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Most severe first (the derived order sorts findings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ExposureSeverity {
    /// A private key of a linked org: anyone can use the whole org. Rotate it now.
    Critical,
    /// A public key any site may use, or one that starts made-up (transient) assistants.
    High,
    /// A public key whose allowed origins exclude the site it is on: calls from there fail.
    WillNotWork,
    /// A turned-off, deleted or expired key still on the page.
    Warning,
    /// A key-shaped value of no linked org, or a public key restricted to this site.
    Info,
}

impl ExposureSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::WillNotWork => "will not work here",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum ExposedKind {
    PrivateKey,
    PublicKey,
    DisabledKey,
    DeletedKey,
    PrivateJwt,
    PublicJwt,
    ExpiredJwt,
    /// A Vapi-looking value that matches no key of a linked org.
    Unknown,
}

impl ExposedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PrivateKey => "private key",
            Self::PublicKey => "public key",
            Self::DisabledKey => "turned-off key",
            Self::DeletedKey => "deleted key",
            Self::PrivateJwt => "private token",
            Self::PublicJwt => "public token",
            Self::ExpiredJwt => "expired token",
            Self::Unknown => "unknown key",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ExposureFinding {
    /// The key's fingerprint (`…` and 8 hex digits), never the key.
    pub key: String,
    pub kind: ExposedKind,
    pub severity: ExposureSeverity,
    /// The linked org the key belongs to (rotate it there).
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    /// The public key's id at Vapi, when it is one.
    pub key_id: Option<String>,
    /// The page or script it was found in.
    pub url: String,
    /// The page whose origin a browser would send with it.
    pub site: String,
    /// What it means and what to do, in plain words.
    pub message: String,
}

/// One page or script the scan met, fetched or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ScannedResource {
    pub url: String,
    /// Read (maybe partly) and searched.
    pub scanned: bool,
    /// Why it was not fetched, or was cut short.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SiteScanReport {
    /// The client org the scan was for, when one was given.
    pub org_id: Option<String>,
    pub scanned_at: String,
    /// The site URLs scanned.
    pub sites: Vec<String>,
    pub resources: Vec<ScannedResource>,
    /// Most severe first.
    pub findings: Vec<ExposureFinding>,
    /// What the scan could not check (e.g. a private key the keychain would not give).
    pub notes: Vec<String>,
}

impl SiteScanReport {
    /// A critical or high finding: someone can use a key for what it should not do.
    pub fn needs_action(&self) -> bool {
        self.findings.iter().any(|f| {
            matches!(
                f.severity,
                ExposureSeverity::Critical | ExposureSeverity::High
            )
        })
    }

    pub fn summary(&self, org_name: &str) -> SiteScanSummary {
        let count = |s: ExposureSeverity| {
            u32::try_from(self.findings.iter().filter(|f| f.severity == s).count())
                .unwrap_or(u32::MAX)
        };
        SiteScanSummary {
            org_id: self.org_id.clone().unwrap_or_default(),
            org_name: org_name.to_owned(),
            scanned_at: self.scanned_at.clone(),
            critical: count(ExposureSeverity::Critical),
            high: count(ExposureSeverity::High),
            will_not_work: count(ExposureSeverity::WillNotWork),
            warning: count(ExposureSeverity::Warning),
            info: count(ExposureSeverity::Info),
        }
    }
}

/// A client's last site check in one line, for the key audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SiteScanSummary {
    pub org_id: String,
    pub org_name: String,
    pub scanned_at: String,
    pub critical: u32,
    pub high: u32,
    pub will_not_work: u32,
    pub warning: u32,
    pub info: u32,
}
