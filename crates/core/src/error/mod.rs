//! The crate's error type and what the UI receives when something fails.
//!
//! Every module has its own `thiserror` enum; [`CoreError`] gathers them. The UI gets an
//! [`ErrorPayload`] `{ code, message }`: `message` is a sentence for the person using the app
//! (what went wrong, what to do; never a key), `code` is the small [`Code`] the UI branches on.
//! Add a `Code` only when the UI handles it differently.
//!
//! This module imports the leaf modules whose errors it gathers (billing, charts, store, ...),
//! never the services above them; [`AgencyError`] lives here for that reason, so `agency/` can
//! use [`CoreError`] without a circle.
//!
//! TypeScript bindings: types the window sees carry
//! `#[ts(export_to = "../../../ui/src/lib/bindings/")]` and are written to
//! `ui/src/lib/bindings/<Type>.ts` by ONE export, of every type the app crate's IPC contract
//! reaches (`cargo test -p agencydesk --test bindings`). The path is relative to ts-rs's base
//! directory `./bindings` inside this crate (hence three `..`); do not set `TS_RS_EXPORT_DIR`,
//! which would move that base.

mod agency;
mod billing;
mod code;

pub use agency::AgencyError;
pub use code::Code;

use serde::Serialize;
use ts_rs::TS;

use self::billing::{billing_code, billing_message};
use crate::billing::BillingError;
use crate::charts::ChartError;
use crate::documents::DocumentError;
use crate::keychain::KeychainError;
use crate::paths::PathsError;
use crate::store::lock::LockError;
use crate::store::StoreError;
use crate::vapi::VapiError;
use crate::write_error::WriteError;

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
    #[error("{}", billing_message(.0))]
    Billing(#[from] BillingError),
    /// A chart that could not be drawn. Charts failing for a billing reason (unknown client, bad
    /// period) or a bad size arrive as [`CoreError::Billing`] or [`CoreError::InvalidInput`]
    /// instead (see the `From<ChartError>` below).
    #[error("The chart could not be drawn: {0}")]
    Chart(ChartError),
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A PDF that could not be made, or a logo that cannot go on one.
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// A sync run first (the CLI's invoices and charts) left this org unsynced.
    #[error("The sync of {client} did not finish: {message}")]
    SyncIncomplete { client: String, message: String },
    /// Input rejected before anything was attempted; the text says what is wrong and how to fix it.
    #[error("{0}")]
    InvalidInput(String),
    #[error("The operation was cancelled.")]
    Cancelled,
    /// Work moved off the async runtime stopped without an answer (it panicked).
    #[error("agencydesk stopped this task unexpectedly ({0}). Try again.")]
    Internal(String),
}

impl CoreError {
    pub fn code(&self) -> Code {
        match self {
            CoreError::Vapi(e) => vapi_code(e),
            CoreError::Store(StoreError::TooNew { .. }) => Code::DatabaseTooNew,
            CoreError::Store(
                StoreError::Lock(LockError::Busy { .. }) | StoreError::MigrationBlocked,
            ) => Code::Conflict,
            CoreError::Store(StoreError::BackupNotFound { .. }) => Code::NotFound,
            CoreError::Store(StoreError::NotABackup { .. }) => Code::InvalidInput,
            CoreError::Store(_) | CoreError::Paths(_) => Code::Unknown,
            CoreError::Keychain(e) => keychain_code(e),
            CoreError::Agency(e) => e.code(),
            CoreError::Billing(e) => billing_code(e),
            CoreError::Chart(_) | CoreError::Write(_) | CoreError::Internal(_) => Code::Unknown,
            CoreError::Document(DocumentError::Logo(_)) => Code::InvalidInput,
            CoreError::Document(_) => Code::Unknown,
            CoreError::SyncIncomplete { .. } => Code::Network,
            CoreError::InvalidInput(_) => Code::InvalidInput,
            CoreError::Cancelled => Code::Cancelled,
        }
    }
}

impl From<ChartError> for CoreError {
    fn from(error: ChartError) -> Self {
        match error {
            // A chart that failed for a billing reason (no such client, bad period) says so.
            ChartError::Billing(e) => Self::Billing(e),
            ChartError::InvalidSize { .. } | ChartError::UnsafeMarkup(_) => {
                Self::InvalidInput(error.to_string())
            }
            ChartError::Write(e) => Self::Write(e),
            other => Self::Chart(other),
        }
    }
}

fn vapi_code(error: &VapiError) -> Code {
    match error {
        VapiError::InvalidBaseUrl { .. }
        | VapiError::UntrustedHost { .. }
        | VapiError::HostNotConfirmed { .. }
        | VapiError::InvalidTrustedHost { .. }
        | VapiError::InvalidKey
        | VapiError::BadRequest { .. } => Code::InvalidInput,
        VapiError::Unauthorized | VapiError::Forbidden { .. } => Code::Unauthorized,
        VapiError::NotFound { .. } => Code::NotFound,
        VapiError::Conflict { .. } => Code::Conflict,
        VapiError::RateLimited { .. } => Code::RateLimited,
        VapiError::Server { .. }
        | VapiError::Timeout { .. }
        | VapiError::Unreachable { .. }
        | VapiError::UntrustedCertificate { .. }
        | VapiError::InvalidResponse { .. }
        | VapiError::Unconfirmed(_) => Code::Network,
        VapiError::Unexpected { .. } => Code::Unknown,
    }
}

fn keychain_code(error: &KeychainError) -> Code {
    match error {
        KeychainError::Unavailable { .. } | KeychainError::NoKeyring { .. } => {
            Code::KeychainUnavailable
        }
        KeychainError::Locked { .. } => Code::KeychainLocked,
        KeychainError::Interrupted => Code::Cancelled,
        KeychainError::Corrupt { .. }
        | KeychainError::Rejected { .. }
        | KeychainError::InvalidAccount => Code::Unknown,
    }
}

/// Exactly what the app sends to the UI for a failed command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
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
                KeychainError::Locked { detail: "x".into() }.into(),
                Code::KeychainLocked,
            ),
            (
                VapiError::RateLimited { retry_after: None }.into(),
                Code::RateLimited,
            ),
            (VapiError::Server { status: 502 }.into(), Code::Network),
            (VapiError::NotFound { what: "org" }.into(), Code::NotFound),
            (CoreError::InvalidInput("x".into()), Code::InvalidInput),
            (
                BillingError::UnsettledCalls { count: 3 }.into(),
                Code::Conflict,
            ),
            (
                BillingError::NoPlan {
                    client_id: "org-1".into(),
                }
                .into(),
                Code::NotFound,
            ),
            (
                ChartError::InvalidSize {
                    width: 1,
                    height: 1,
                }
                .into(),
                Code::InvalidInput,
            ),
            (
                CoreError::SyncIncomplete {
                    client: "Acme".into(),
                    message: "x".into(),
                },
                Code::Network,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "{error}");
        }
    }

    #[test]
    fn billing_errors_cross_as_code_and_message() {
        let err = CoreError::from(BillingError::UnsettledCalls { count: 3 });
        let json = serde_json::to_value(ErrorPayload::from(&err)).unwrap();
        assert_eq!(json["code"], "Conflict");
        assert!(json["message"].as_str().unwrap().contains("3 call(s)"));
        assert_eq!(json.as_object().unwrap().len(), 2, "{json}");

        let no_plan = CoreError::from(BillingError::NoPlan {
            client_id: "org-1".into(),
        });
        assert_eq!(no_plan.code(), Code::NotFound);
        assert!(no_plan.to_string().contains("plan editor"));

        let write = CoreError::from(ChartError::Write(WriteError {
            path: "/x/cost.png".into(),
            reason: "denied".into(),
        }));
        assert!(write
            .to_string()
            .contains("Choose a folder you can write to"));
    }
}
