//! Errors of the call sync. Each names the org it is about, so a list of per-org failures reads
//! on its own ("Acme Dental: Vapi rejected the API key ...").

use crate::error::{Code, CoreError, ErrorPayload};
use crate::store::StoreError;
use crate::vapi::VapiError;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Vapi refused or failed (after retries), or the org's key could not be read.
    #[error("{org}: {source}")]
    Org {
        org: String,
        #[source]
        source: Box<CoreError>,
    },
    #[error(
        "{org}: Vapi sent a call agencydesk could not read ({detail}). Nothing of that page was \
         stored. Try again later; if it keeps happening, agencydesk needs an update."
    )]
    InvalidCall { org: String, detail: String },
    #[error(
        "{org}: more than {limit} calls were created at {created_at} and last updated at \
         {updated_at}. Vapi's call list cannot be paged through them, so these calls cannot \
         be synced. Please report this to agencydesk's developers."
    )]
    Unpageable {
        org: String,
        limit: u32,
        created_at: String,
        updated_at: String,
    },
    #[error("{org}: saving the synced calls failed: {source}")]
    Store {
        org: String,
        #[source]
        source: StoreError,
    },
    /// Reading or writing sync bookkeeping that is not about one org.
    #[error(transparent)]
    Database(#[from] StoreError),
    #[error("{org}: the sync was cancelled; the next sync continues where it stopped.")]
    Cancelled { org: String },
    /// Another process syncs this org right now (its sync lock is held): nothing was done.
    #[error("{0}")]
    Busy(crate::store::lock::LockError),
    #[error(
        "agencydesk's sync stopped unexpectedly ({0}). What was already saved is kept; try again."
    )]
    Internal(String),
}

impl SyncError {
    pub(crate) fn vapi(org: &str, source: VapiError) -> Self {
        Self::core(org, CoreError::Vapi(source))
    }

    pub(crate) fn core(org: &str, source: CoreError) -> Self {
        SyncError::Org {
            org: org.to_owned(),
            source: Box::new(source),
        }
    }

    pub fn code(&self) -> Code {
        match self {
            SyncError::Org { source, .. } => source.code(),
            SyncError::InvalidCall { .. } => Code::Network,
            SyncError::Cancelled { .. } => Code::Cancelled,
            SyncError::Busy(_) => Code::Conflict,
            SyncError::Store {
                source: StoreError::TooNew { .. },
                ..
            }
            | SyncError::Database(StoreError::TooNew { .. }) => Code::DatabaseTooNew,
            SyncError::Unpageable { .. }
            | SyncError::Store { .. }
            | SyncError::Database(_)
            | SyncError::Internal(_) => Code::Unknown,
        }
    }

    /// Whether asking for the same page again later may succeed.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            SyncError::Org { source, .. } => matches!(
                source.as_ref(),
                CoreError::Vapi(
                    VapiError::Server { .. }
                        | VapiError::Timeout { .. }
                        | VapiError::Unreachable { .. }
                        | VapiError::RateLimited { .. }
                        | VapiError::InvalidResponse { .. }
                )
            ),
            _ => false,
        }
    }

    /// Whether Vapi refused the org's key (it must be linked again).
    pub fn is_key_rejected(&self) -> bool {
        matches!(self, SyncError::Org { source, .. }
            if matches!(source.as_ref(), CoreError::Vapi(e) if e.is_key_rejected()))
    }
}

impl From<&SyncError> for ErrorPayload {
    fn from(error: &SyncError) -> Self {
        ErrorPayload {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl From<SyncError> for ErrorPayload {
    fn from(error: SyncError) -> Self {
        Self::from(&error)
    }
}
