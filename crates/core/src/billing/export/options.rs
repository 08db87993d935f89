//! The accountant's side of the QuickBooks and Xero files: date format, Xero account code and
//! tax types, QuickBooks' tax code for untaxed lines and the due days. Set in Settings or with
//! `agencydesk export options set`, kept in SQLite (`store::export_options`), checked here.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sanitize::is_trigger;
use crate::billing::error::BillingError;
use crate::billing::invoice::Invoice;

/// How dates are written: a closed list, the three forms both importers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum DateFormat {
    /// `10/31/2026` (MM/DD/YYYY)
    MonthFirst,
    /// `31/10/2026` (DD/MM/YYYY)
    DayFirst,
    /// `2026-10-31` (YYYY-MM-DD)
    Iso,
}

impl DateFormat {
    pub const ALL: [Self; 3] = [Self::DayFirst, Self::MonthFirst, Self::Iso];

    pub fn format(self, date: NaiveDate) -> String {
        date.format(match self {
            Self::MonthFirst => "%m/%d/%Y",
            Self::DayFirst => "%d/%m/%Y",
            Self::Iso => "%Y-%m-%d",
        })
        .to_string()
    }

    /// As people write it: `DD/MM/YYYY`.
    pub fn pattern(self) -> &'static str {
        match self {
            Self::MonthFirst => "MM/DD/YYYY",
            Self::DayFirst => "DD/MM/YYYY",
            Self::Iso => "YYYY-MM-DD",
        }
    }

    /// The stored (and JSON) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MonthFirst => "month_first",
            Self::DayFirst => "day_first",
            Self::Iso => "iso",
        }
    }

    /// Reads a pattern (`dd/mm/yyyy`, any case) or a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|f| f.pattern().eq_ignore_ascii_case(text) || f.as_str() == text)
    }
}

/// Settings that belong to the agency's accounting setup rather than to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ExportOptions {
    /// QuickBooks asks for the file's date format at import; US companies default to month first.
    pub qbo_date_format: DateFormat,
    /// Xero reads dates in the organisation's regional order; its template uses day first.
    pub xero_date_format: DateFormat,
    /// Xero revenue account code (`200` is Sales in Xero's default chart of accounts).
    pub xero_account_code: String,
    /// Xero tax rate for lines of a plan with tax; empty: the plan's tax code.
    pub xero_taxed_tax_type: String,
    /// Xero tax rate for lines of a plan without tax (`Tax Exempt`, `No VAT`, ...).
    pub xero_untaxed_tax_type: String,
    /// QuickBooks tax code for lines of a plan without tax (empty leaves the column blank).
    pub qbo_untaxed_tax_code: String,
    /// Days from issue to due date in both files; `null`: each invoice's own (its plan's terms,
    /// as its PDF prints).
    pub due_days: Option<u16>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            qbo_date_format: DateFormat::MonthFirst,
            xero_date_format: DateFormat::DayFirst,
            xero_account_code: "200".to_owned(),
            xero_taxed_tax_type: String::new(),
            xero_untaxed_tax_type: "Tax Exempt".to_owned(),
            qbo_untaxed_tax_code: String::new(),
            due_days: None,
        }
    }
}

/// Longest due days accepted (as for a plan's payment terms).
pub const MAX_DUE_DAYS: u16 = 365;
/// Xero account codes are at most 10 characters.
const MAX_ACCOUNT_CODE: usize = 10;
/// Tax rate names and codes, in both products, are short names.
const MAX_TAX_NAME: usize = 50;

impl ExportOptions {
    /// The options trimmed, or the first value refused, saying what fits instead. Nothing here
    /// may start like a formula: the CSV guard would prefix it with `'`, and the importer would
    /// then not find the account or tax rate.
    pub fn checked(&self) -> Result<Self, BillingError> {
        let refuse = |m: String| Err(BillingError::Refused(m));
        let code = self.xero_account_code.trim();
        if code.is_empty()
            || code.chars().count() > MAX_ACCOUNT_CODE
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            || code.starts_with(|c: char| !c.is_ascii_alphanumeric())
        {
            return refuse(format!(
                "The Xero account code is 1 to {MAX_ACCOUNT_CODE} letters or digits (like 200), \
                 as in your Xero chart of accounts; {code:?} is not."
            ));
        }
        if self.due_days.is_some_and(|d| d > MAX_DUE_DAYS) {
            return refuse(format!(
                "Due days are 0 to {MAX_DUE_DAYS}, or none for each invoice's own terms."
            ));
        }
        Ok(Self {
            qbo_date_format: self.qbo_date_format,
            xero_date_format: self.xero_date_format,
            xero_account_code: code.to_owned(),
            xero_taxed_tax_type: tax_name(
                "Xero tax type for taxed lines",
                &self.xero_taxed_tax_type,
                true,
            )?,
            xero_untaxed_tax_type: tax_name(
                "Xero tax type for untaxed lines",
                &self.xero_untaxed_tax_type,
                false,
            )?,
            qbo_untaxed_tax_code: tax_name(
                "QuickBooks tax code for untaxed lines",
                &self.qbo_untaxed_tax_code,
                true,
            )?,
            due_days: self.due_days,
        })
    }

    /// The due date the files state for `invoice`.
    pub fn due_date(&self, invoice: &Invoice) -> NaiveDate {
        self.due_days
            .and_then(|d| invoice.issue_date.checked_add_days(Days::new(u64::from(d))))
            .unwrap_or(invoice.due_date)
    }

    /// The payment terms the files state for `invoice`, in days.
    pub fn terms_days(&self, invoice: &Invoice) -> u16 {
        self.due_days.unwrap_or(invoice.payment_terms_days)
    }
}

/// A tax rate's name: one line of printable text, at most [`MAX_TAX_NAME`] characters, not
/// starting like a formula; empty only where `may_be_empty`.
fn tax_name(label: &str, text: &str, may_be_empty: bool) -> Result<String, BillingError> {
    let name = text.trim();
    let fits = name.chars().count() <= MAX_TAX_NAME
        && !name.chars().any(char::is_control)
        && !name.starts_with(is_trigger)
        && (may_be_empty || !name.is_empty());
    if fits {
        Ok(name.to_owned())
    } else {
        let empty = if may_be_empty { " (or empty)" } else { "" };
        Err(BillingError::Refused(format!(
            "The {label} is a tax rate name of 1 to {MAX_TAX_NAME} characters{empty} on one \
             line, as your accounting product names it, not starting with = + - or @; {name:?} \
             is not."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_read_back_from_their_pattern_and_name() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        for f in DateFormat::ALL {
            assert_eq!(DateFormat::parse(f.pattern()), Some(f));
            assert_eq!(DateFormat::parse(&f.pattern().to_lowercase()), Some(f));
            assert_eq!(DateFormat::parse(f.as_str()), Some(f));
        }
        assert_eq!(DateFormat::DayFirst.format(day), "31/10/2026");
        assert_eq!(DateFormat::MonthFirst.format(day), "10/31/2026");
        assert_eq!(DateFormat::Iso.format(day), "2026-10-31");
        assert_eq!(DateFormat::parse("YYYY/MM/DD"), None);
    }
}
