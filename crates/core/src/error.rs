//! The crate's error type and what the UI receives when something fails.
//!
//! Every module has its own `thiserror` enum; [`CoreError`] gathers them. The UI gets an
//! [`ErrorPayload`] `{ code, message }`: `message` is a sentence for the person using the app
//! (what went wrong, what to do; never a key), `code` is the small [`Code`] the UI branches on.
//! Add a `Code` only when the UI handles it differently.
//!
//! TypeScript bindings: every type marked `#[ts(export, export_to = "../../../ui/src/lib/bindings/")]`
//! is written to `ui/src/lib/bindings/<Type>.ts` by the tests ts-rs generates, so
//! `cargo test -p agencydesk-core export_bindings` regenerates them all. The path is relative to
//! ts-rs's base directory `./bindings` inside this crate (hence three `..`); do not set
//! `TS_RS_EXPORT_DIR`, which would move that base.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agency::AgencyError;
use crate::keychain::KeychainError;
use crate::paths::PathsError;
use crate::store::StoreError;
use crate::vapi::VapiError;

/// What kind of failure this is, for the UI to choose what to offer (relink, retry, help...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "../../../ui/src/lib/bindings/")]
pub enum Code {
    Unknown,
    /// Something the user typed or pasted is not acceptable; the message says what.
    InvalidInput,
    NotFound,
    /// Vapi refused the key (wrong, revoked, public instead of private) or it is missing:
    /// offer to paste the key again.
    Unauthorized,
    /// No OS keychain is reachable or it is locked: show the keychain help.
    KeychainUnavailable,
    /// Vapi could not be reached or failed even after retries: offer to retry.
    Network,
    /// Vapi asked to slow down: retry later.
    RateLimited,
    /// The database was written by a newer agencydesk.
    DatabaseTooNew,
    Cancelled,
    /// The action clashes with the current state (e.g. already linked differently).
    Conflict,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Vapi(#[from] VapiError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keychain(#[from] KeychainError),
    #[error(transparent)]
    Paths(#[from] PathsError),
    #[error(transparent)]
    Agency(#[from] AgencyError),
    /// Input rejected before anything was attempted; the text says what is wrong and how to fix it.
    #[error("{0}")]
    InvalidInput(String),
    #[error("The operation was cancelled.")]
    Cancelled,
}

impl CoreError {
    pub fn code(&self) -> Code {
        match self {
            CoreError::Vapi(e) => vapi_code(e),
            CoreError::Store(StoreError::TooNew { .. }) => Code::DatabaseTooNew,
            CoreError::Store(_) | CoreError::Paths(_) => Code::Unknown,
            CoreError::Keychain(e) => keychain_code(e),
            CoreError::Agency(e) => e.code(),
            CoreError::InvalidInput(_) => Code::InvalidInput,
            CoreError::Cancelled => Code::Cancelled,
        }
    }
}

fn vapi_code(error: &VapiError) -> Code {
    match error {
        VapiError::InvalidBaseUrl { .. } | VapiError::InvalidKey | VapiError::BadRequest { .. } => {
            Code::InvalidInput
        }
        VapiError::Unauthorized | VapiError::Forbidden { .. } => Code::Unauthorized,
        VapiError::NotFound { .. } => Code::NotFound,
        VapiError::Conflict { .. } => Code::Conflict,
        VapiError::RateLimited { .. } => Code::RateLimited,
        VapiError::Server { .. }
        | VapiError::Timeout { .. }
        | VapiError::Unreachable { .. }
        | VapiError::InvalidResponse { .. }
        | VapiError::Unconfirmed(_) => Code::Network,
        VapiError::Unexpected { .. } => Code::Unknown,
    }
}

fn keychain_code(error: &KeychainError) -> Code {
    match error {
        KeychainError::Unavailable { .. }
        | KeychainError::NoKeyring { .. }
        | KeychainError::Locked { .. } => Code::KeychainUnavailable,
        KeychainError::Interrupted => Code::Cancelled,
        KeychainError::Corrupt { .. }
        | KeychainError::Rejected { .. }
        | KeychainError::InvalidAccount => Code::Unknown,
    }
}

/// Exactly what the app sends to the UI for a failed command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "../../../ui/src/lib/bindings/")]
pub struct ErrorPayload {
    pub code: Code,
    pub message: String,
}

impl From<&CoreError> for ErrorPayload {
    fn from(error: &CoreError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl From<CoreError> for ErrorPayload {
    fn from(error: CoreError) -> Self {
        Self::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_serializes_code_as_a_string() {
        let payload = ErrorPayload::from(CoreError::Vapi(VapiError::Unauthorized));
        let json = serde_json::to_value(&payload).unwrap();
        assert_eq!(json["code"], "Unauthorized");
        assert!(json["message"].as_str().unwrap().contains("private key"));
    }

    #[test]
    fn codes_follow_the_cause() {
        let cases: Vec<(CoreError, Code)> = vec![
            (
                StoreError::TooNew { found: 2, known: 1 }.into(),
                Code::DatabaseTooNew,
            ),
            (
                KeychainError::Unavailable { detail: "x".into() }.into(),
                Code::KeychainUnavailable,
            ),
            (
                VapiError::RateLimited { retry_after: None }.into(),
                Code::RateLimited,
            ),
            (VapiError::Server { status: 502 }.into(), Code::Network),
            (VapiError::NotFound { what: "org" }.into(), Code::NotFound),
            (CoreError::InvalidInput("x".into()), Code::InvalidInput),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "{error}");
        }
    }
}
