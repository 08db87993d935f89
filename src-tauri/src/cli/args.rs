//! Parsers and checks for the CLI's arguments, shared by every subcommand. A clap value parser
//! refuses with exit status 2 and its message as the reason; the checks against stored data
//! below refuse with status 1 and name what would have been accepted. Private keys are the one
//! input that never comes as an argument: see [`read_private_key`].

mod secret_input;
mod vapi_address;

use agencydesk_core::agency::{AssistantView, ClientOrgView};
use agencydesk_core::billing::plan_edits::parse_rounding;
use agencydesk_core::billing::{DateFormat, ExportFormat, MinuteRounding, Period};
use agencydesk_core::error::CoreError;
use agencydesk_core::keys::{normalize_origin, Origin};
use chrono::NaiveDate;
use clap::Args;

use crate::error::AppError;
pub(crate) use secret_input::read_private_key;
pub use vapi_address::VapiAddressArgs;

/// The period of a billing command: a calendar month, or an inclusive date range.
#[derive(Debug, Clone, Args)]
pub struct PeriodArgs {
    /// The calendar month to bill, e.g. 2026-10.
    #[arg(long, required_unless_present = "from", conflicts_with_all = ["from", "to"], value_parser = month)]
    pub month: Option<Period>,
    /// First day of a custom range, e.g. 2026-10-05 (with --to).
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day of a custom range, included (with --from).
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
}

impl PeriodArgs {
    pub fn period(&self) -> Result<Period, CoreError> {
        match (self.month, self.from, self.to) {
            (Some(month), _, _) => Ok(month),
            (None, Some(from), Some(to)) => Ok(Period::range(from, to)?),
            // clap requires one of the two forms; this only guards against a change there.
            _ => Err(CoreError::InvalidInput(
                "Give --month YYYY-MM, or --from and --to.".into(),
            )),
        }
    }
}

/// A calendar month, `YYYY-MM`.
pub(crate) fn month(text: &str) -> Result<Period, String> {
    Period::parse_month(text).map_err(|e| e.to_string())
}

/// An invoice export format by its CLI name.
pub(crate) fn export_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(text).ok_or_else(|| format!("{text:?} is not generic, qbo, xero or pdf"))
}

/// A billing increment by its short name.
pub(crate) fn rounding(text: &str) -> Result<MinuteRounding, String> {
    parse_rounding(text).ok_or_else(|| format!("{text:?} is not exact, 6s, 30s or 60s"))
}

/// A website, normalised as browsers send it (`HTTPS://Acme.com:443` is `https://acme.com`).
pub(crate) fn origin(text: &str) -> Result<Origin, String> {
    normalize_origin(text).map_err(|e| e.to_string())
}

/// An id pasted with stray spaces around it (from a copied table cell) is still that id.
pub(crate) fn id(text: &str) -> Result<String, std::convert::Infallible> {
    Ok(text.trim().to_owned())
}

/// A refusal of what was asked, in core's words (exit status 1).
pub(crate) fn invalid_input(reason: impl std::fmt::Display) -> AppError {
    AppError::Core(CoreError::InvalidInput(reason.to_string()))
}

/// The org's assistant `id`, or a refusal listing the assistants it has.
pub(crate) fn assistant<'a>(
    org: &'a ClientOrgView,
    id: &str,
) -> Result<&'a AssistantView, AppError> {
    if let Some(found) = org.assistants.iter().find(|a| a.id == id) {
        return Ok(found);
    }
    let known: Vec<String> = org
        .assistants
        .iter()
        .map(|a| format!("{} ({})", a.id, a.name.as_deref().unwrap_or("unnamed")))
        .collect();
    Err(invalid_input(if known.is_empty() {
        format!(
            "{} has no assistant {id}, and none are stored: run `agencydesk keys list --org {}` \
             after creating one in Vapi.",
            org.name, org.id
        )
    } else {
        format!(
            "{} has no assistant {id}. Its assistants: {}.",
            org.name,
            known.join(", ")
        )
    }))
}

/// `--qbo-date-format` and `--xero-date-format`: one of the three formats the exports write.
pub(crate) fn date_format(text: &str) -> Result<DateFormat, String> {
    DateFormat::parse(text).ok_or_else(|| {
        let known: Vec<&str> = DateFormat::ALL.iter().map(|f| f.pattern()).collect();
        format!(
            "{text:?} is not a date format; use one of {}",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_or_refused_with_the_reason() {
        assert_eq!(
            origin("HTTPS://Acme.com:443").map(|o| o.to_string()),
            Ok("https://acme.com".to_owned())
        );
        let refused = origin("https://acme.com/contact").unwrap_err();
        assert!(refused.contains("path"), "{refused}");
    }

    #[test]
    fn ids_lose_surrounding_spaces() {
        assert_eq!(id("  org-1 \n").unwrap(), "org-1");
    }
}
