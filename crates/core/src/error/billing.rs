//! How billing and chart failures reach a person: core's billing messages reworded where the
//! person needs to know what to do next, and the [`Code`] the UI branches on.

use super::code::Code;
use crate::billing::plan_form::describe_issues;
use crate::billing::BillingError;
use crate::store::StoreError;

pub(super) fn billing_code(error: &BillingError) -> Code {
    match error {
        BillingError::InvalidPlan(_)
        | BillingError::InvalidPeriod(_)
        | BillingError::InvalidRequest(_)
        | BillingError::Refused(_)
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
pub(super) fn billing_message(error: &BillingError) -> String {
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
