//! What the billing commands and the `invoice`/`chart` CLI fail with. Crosses to the UI as core's
//! `{ code, message }` like every other command error; the message says what to do next.

use agencydesk_core::billing::BillingError;
use agencydesk_core::charts::ChartError;
use agencydesk_core::error::{Code, CoreError, ErrorPayload};
use agencydesk_core::store::StoreError;
use serde::{Serialize, Serializer};

use super::plan_form::describe_issues;
use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum BillingCommandError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{}", billing_message(.0))]
    Billing(BillingError),
    #[error("The chart could not be drawn: {0}")]
    Chart(ChartError),
    /// Something typed or chosen is not acceptable; the text says what and how to fix it.
    #[error("{0}")]
    InvalidInput(String),
    #[error("The sync of {client} did not finish: {message}")]
    Sync { client: String, message: String },
    #[error("Could not write {path}: {reason}. Choose a folder you can write to.")]
    Write { path: String, reason: String },
    #[error("agencydesk stopped this task unexpectedly ({0}). Try again.")]
    Internal(String),
}

impl BillingCommandError {
    pub fn code(&self) -> Code {
        match self {
            Self::App(e) => e.code(),
            Self::Billing(e) => billing_code(e),
            Self::Chart(_) | Self::Write { .. } | Self::Internal(_) => Code::Unknown,
            Self::InvalidInput(_) => Code::InvalidInput,
            Self::Sync { .. } => Code::Network,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

fn billing_code(error: &BillingError) -> Code {
    match error {
        BillingError::InvalidPlan(_)
        | BillingError::InvalidPeriod(_)
        | BillingError::InvalidRequest(_)
        | BillingError::DraftNotExportable { .. } => Code::InvalidInput,
        BillingError::NoPlan { .. }
        | BillingError::ClientNotFound { .. }
        | BillingError::InvoiceNotFound { .. } => Code::NotFound,
        BillingError::UnsettledCalls { .. } | BillingError::AlreadyIssued { .. } => Code::Conflict,
        BillingError::Store(StoreError::TooNew { .. }) => Code::DatabaseTooNew,
        _ => Code::Unknown,
    }
}

/// Core's billing messages, reworded where a person needs to know what to do.
fn billing_message(error: &BillingError) -> String {
    match error {
        BillingError::InvalidPlan(issues) => {
            format!(
                "The pricing plan needs fixing: {}.",
                describe_issues(issues)
            )
        }
        BillingError::NoPlan { .. } => {
            "This client has no pricing plan yet. Fill in the plan editor and save it first."
                .to_owned()
        }
        BillingError::UnsettledCalls { count } => format!(
            "{count} call(s) in this period are not settled yet: Vapi may still change their \
             cost. Sync again later, or allow unsettled calls to issue the invoice anyway."
        ),
        other => other.to_string(),
    }
}

impl From<BillingError> for BillingCommandError {
    fn from(error: BillingError) -> Self {
        Self::Billing(error)
    }
}

impl From<ChartError> for BillingCommandError {
    fn from(error: ChartError) -> Self {
        match error {
            // A chart that failed for a billing reason (no such client, bad period) says so.
            ChartError::Billing(e) => Self::Billing(e),
            ChartError::InvalidSize { .. } => Self::InvalidInput(error.to_string()),
            other => Self::Chart(other),
        }
    }
}

impl From<tokio::task::JoinError> for BillingCommandError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal(error.to_string())
    }
}

impl From<CoreError> for BillingCommandError {
    fn from(error: CoreError) -> Self {
        Self::App(AppError::Core(error))
    }
}

impl From<StoreError> for BillingCommandError {
    fn from(error: StoreError) -> Self {
        Self::Billing(BillingError::Store(error))
    }
}

/// For the CLI, whose commands all fail with an [`AppError`].
impl From<BillingCommandError> for AppError {
    fn from(error: BillingCommandError) -> Self {
        match error {
            BillingCommandError::App(e) => e,
            other => AppError::Billing(Box::new(other)),
        }
    }
}

impl From<BillingError> for AppError {
    fn from(error: BillingError) -> Self {
        BillingCommandError::from(error).into()
    }
}

// Tauri serializes a command's error into the rejected promise the UI sees.
impl Serialize for BillingCommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_as_code_and_message() {
        let err = BillingCommandError::from(BillingError::UnsettledCalls { count: 3 });
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "Conflict");
        assert!(json["message"].as_str().unwrap().contains("3 call(s)"));
        assert_eq!(json.as_object().unwrap().len(), 2, "{json}");

        let no_plan = BillingCommandError::from(BillingError::NoPlan {
            client_id: "org-1".into(),
        });
        assert_eq!(no_plan.code(), Code::NotFound);
        assert!(no_plan.to_string().contains("plan editor"));
    }
}
