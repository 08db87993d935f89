//! A client's pricing plan and its validation.
//!
//! Components combine freely, except that minutes are billed either at a per-minute rate or
//! through included minutes with an overage rate (both at once would charge the same minute
//! twice). Every component adds its own invoice lines:
//! - `markupPercent`: Vapi's cost of the client's calls, plus that percentage (0 passes cost through);
//! - `perMinuteRate`: every billed minute at that rate;
//! - `monthlyFee`: a flat fee per billed month;
//! - `includedMinutes`: that many billed minutes per month free, the rest at `overageRate`;
//! - `tax`: a rate applied to every line (rounded per line), and the code accountants map it to.
//!
//! Billed minutes come from each call's own duration rounded up per call by `minuteRounding`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::{BillingError, PlanIssue};

/// How one call's duration becomes billed time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum MinuteRounding {
    /// The exact duration, to the millisecond the timestamps carry.
    #[default]
    ExactSeconds,
    /// Up to the next 6-second increment (telecom "6/6" billing).
    #[serde(rename = "up_to_6s")]
    UpTo6Seconds,
    /// Up to the next 30-second increment.
    #[serde(rename = "up_to_30s")]
    UpTo30Seconds,
    /// Up to the next whole minute.
    #[serde(rename = "up_to_60s")]
    UpTo60Seconds,
}

impl MinuteRounding {
    /// The billing increment in milliseconds; 1 means no rounding.
    pub fn step_millis(self) -> i64 {
        match self {
            Self::ExactSeconds => 1,
            Self::UpTo6Seconds => 6_000,
            Self::UpTo30Seconds => 30_000,
            Self::UpTo60Seconds => 60_000,
        }
    }

    /// One call's billed milliseconds: rounded up to the increment, never negative.
    pub fn billed_millis(self, duration_millis: i64) -> i64 {
        let step = self.step_millis();
        let ms = duration_millis.max(0);
        ms.saturating_add(step - 1) / step * step
    }
}

/// Included minutes per billed month, and the rate for minutes beyond them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct IncludedMinutes {
    pub minutes: u32,
    /// Price per minute beyond the included ones, in the plan's currency.
    #[ts(type = "string")]
    pub overage_rate: Decimal,
}

/// A tax applied to every line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct TaxRule {
    /// The code or rate name the accounting software knows (QuickBooks tax code, Xero tax type).
    pub code: String,
    /// Percentage, 0 to 100 (`8.25` for 8.25 %).
    #[ts(type = "string")]
    pub rate_percent: Decimal,
}

/// A client's pricing plan. Decimal fields travel as strings (`"0.12"`) so no float touches them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct PricingPlan {
    /// ISO 4217 code of the invoice currency (`USD`, `EUR`).
    pub currency: String,
    /// Units of `currency` per US dollar; required unless the currency is USD, since Vapi's costs
    /// are in USD. Fixed by the owner in the plan so that an invoice never depends on a live rate.
    #[ts(type = "string | null")]
    pub usd_exchange_rate: Option<Decimal>,
    #[ts(type = "string | null")]
    pub markup_percent: Option<Decimal>,
    #[ts(type = "string | null")]
    pub per_minute_rate: Option<Decimal>,
    pub minute_rounding: MinuteRounding,
    #[ts(type = "string | null")]
    pub monthly_fee: Option<Decimal>,
    pub included_minutes: Option<IncludedMinutes>,
    pub tax: Option<TaxRule>,
    /// Days from the issue date to the due date.
    pub payment_terms_days: u16,
}

impl Default for PricingPlan {
    /// Cost passed through at no markup, in USD, due in 30 days: a safe start for the editor.
    fn default() -> Self {
        Self {
            currency: "USD".to_owned(),
            usd_exchange_rate: None,
            markup_percent: Some(Decimal::ZERO),
            per_minute_rate: None,
            minute_rounding: MinuteRounding::ExactSeconds,
            monthly_fee: None,
            included_minutes: None,
            tax: None,
            payment_terms_days: 30,
        }
    }
}

// Bounds that catch typos (a rate of 150 instead of 0.150) without limiting real plans.
const MAX_MARKUP_PERCENT: i64 = 10_000;
const MAX_RATE_PER_MINUTE: i64 = 1_000;
const MAX_MONTHLY_FEE: i64 = 10_000_000;
const MAX_INCLUDED_MINUTES: u32 = 10_000_000;
const MAX_TERMS_DAYS: u16 = 365;
const MAX_TAX_CODE_CHARS: usize = 64;
/// Rates may carry sub-cent precision, up to the 4 decimals QuickBooks and Xero accept.
const RATE_DP: u32 = 4;

impl PricingPlan {
    /// Every problem in the plan at once, so the editor can mark all the fields to fix.
    pub fn issues(&self) -> Vec<PlanIssue> {
        let mut issues = Vec::new();
        let mut push = |field: &str, message: String| {
            issues.push(PlanIssue {
                field: field.to_owned(),
                message,
            });
        };

        let currency_ok =
            self.currency.len() == 3 && self.currency.bytes().all(|b| b.is_ascii_uppercase());
        if !currency_ok {
            push(
                "currency",
                "must be a 3-letter ISO 4217 code such as USD or EUR".into(),
            );
        }
        match (self.currency == "USD", self.usd_exchange_rate) {
            (true, Some(rate)) if rate != Decimal::ONE => push(
                "usdExchangeRate",
                "must be empty (or 1) when the plan is in USD".into(),
            ),
            (false, None) if currency_ok => push(
                "usdExchangeRate",
                format!(
                    "how many {} is one USD? Vapi's costs are in USD",
                    self.currency
                ),
            ),
            (_, Some(rate)) => {
                if let Some(m) = amount_problem(rate, Decimal::from(1_000_000), 6, false) {
                    push("usdExchangeRate", m);
                }
            }
            _ => {}
        }
        if let Some(m) = self.markup_percent {
            if let Some(msg) = amount_problem(m, Decimal::from(MAX_MARKUP_PERCENT), 4, true) {
                push("markupPercent", msg);
            }
        }
        if let Some(r) = self.per_minute_rate {
            if let Some(msg) = amount_problem(r, Decimal::from(MAX_RATE_PER_MINUTE), RATE_DP, true)
            {
                push("perMinuteRate", msg);
            }
        }
        if let Some(fee) = self.monthly_fee {
            if let Some(msg) = amount_problem(fee, Decimal::from(MAX_MONTHLY_FEE), 2, true) {
                push("monthlyFee", msg);
            }
        }
        if let Some(inc) = &self.included_minutes {
            if inc.minutes > MAX_INCLUDED_MINUTES {
                push(
                    "includedMinutes.minutes",
                    format!("must be at most {MAX_INCLUDED_MINUTES}"),
                );
            }
            let max = Decimal::from(MAX_RATE_PER_MINUTE);
            if let Some(msg) = amount_problem(inc.overage_rate, max, RATE_DP, true) {
                push("includedMinutes.overageRate", msg);
            }
            if self.per_minute_rate.is_some() {
                push(
                    "includedMinutes",
                    "bill minutes either at a per-minute rate or with included minutes and an \
                     overage rate, not both"
                        .into(),
                );
            }
        }
        if let Some(tax) = &self.tax {
            let code = tax.code.trim();
            if code.is_empty() {
                push("tax.code", "must not be empty when a tax is set".into());
            } else if code.chars().count() > MAX_TAX_CODE_CHARS
                || code.chars().any(char::is_control)
            {
                push(
                    "tax.code",
                    format!("must be at most {MAX_TAX_CODE_CHARS} printable characters"),
                );
            }
            if let Some(msg) = amount_problem(tax.rate_percent, Decimal::ONE_HUNDRED, 4, true) {
                push("tax.ratePercent", msg);
            }
        }
        if self.payment_terms_days > MAX_TERMS_DAYS {
            push(
                "paymentTermsDays",
                format!("must be at most {MAX_TERMS_DAYS} days"),
            );
        }
        if !self.bills_anything() {
            push(
                "plan",
                "set at least one of markup, per-minute rate, monthly fee or included minutes"
                    .into(),
            );
        }
        issues
    }

    /// The plan itself when valid, else every issue.
    pub fn validate(&self) -> Result<(), BillingError> {
        let issues = self.issues();
        if issues.is_empty() {
            Ok(())
        } else {
            Err(BillingError::InvalidPlan(issues))
        }
    }

    fn bills_anything(&self) -> bool {
        self.markup_percent.is_some()
            || self.per_minute_rate.is_some()
            || self.monthly_fee.is_some()
            || self.included_minutes.is_some()
    }

    /// Units of the plan currency per USD (1 for USD plans).
    pub fn fx(&self) -> Decimal {
        self.usd_exchange_rate.unwrap_or(Decimal::ONE)
    }

    /// The tax rate as a percentage, 0 without a tax.
    pub fn tax_percent(&self) -> Decimal {
        self.tax.as_ref().map_or(Decimal::ZERO, |t| t.rate_percent)
    }
}

/// Why an amount is unacceptable, if it is.
fn amount_problem(value: Decimal, max: Decimal, max_dp: u32, zero_ok: bool) -> Option<String> {
    if value.is_sign_negative() && !value.is_zero() {
        return Some("must not be negative".into());
    }
    if value.is_zero() && !zero_ok {
        return Some("must be greater than zero".into());
    }
    if value > max {
        return Some(format!("must be at most {max}"));
    }
    if value.normalize().scale() > max_dp {
        return Some(format!("must have at most {max_dp} decimal places"));
    }
    None
}

/// Parses a decimal typed by a person (`"0.12"`), for the CLI and tests.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal, BillingError> {
    Decimal::from_str(text.trim()).map_err(|_| {
        BillingError::InvalidPlan(vec![PlanIssue {
            field: field.to_owned(),
            message: format!("{text:?} is not a decimal number"),
        }])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn fields(plan: &PricingPlan) -> Vec<String> {
        plan.issues().into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn the_default_plan_is_valid() {
        assert!(PricingPlan::default().validate().is_ok());
    }

    #[test]
    fn every_component_at_once_except_the_minute_conflict_is_valid() {
        let plan = PricingPlan {
            markup_percent: Some(dec!(25)),
            monthly_fee: Some(dec!(99.00)),
            included_minutes: Some(IncludedMinutes {
                minutes: 500,
                overage_rate: dec!(0.15),
            }),
            tax: Some(TaxRule {
                code: "TAX".into(),
                rate_percent: dec!(8.25),
            }),
            ..PricingPlan::default()
        };
        assert_eq!(fields(&plan), Vec::<String>::new());
        let both = PricingPlan {
            per_minute_rate: Some(dec!(0.10)),
            ..plan
        };
        assert_eq!(fields(&both), vec!["includedMinutes"]);
    }

    #[test]
    fn bad_values_are_reported_per_field() {
        let plan = PricingPlan {
            currency: "usd".into(),
            markup_percent: Some(dec!(-5)),
            per_minute_rate: Some(dec!(150000)),
            monthly_fee: Some(dec!(10.001)),
            tax: Some(TaxRule {
                code: " ".into(),
                rate_percent: dec!(120),
            }),
            payment_terms_days: 9999,
            ..PricingPlan::default()
        };
        assert_eq!(
            fields(&plan),
            vec![
                "currency",
                "markupPercent",
                "perMinuteRate",
                "monthlyFee",
                "tax.code",
                "tax.ratePercent",
                "paymentTermsDays"
            ]
        );
        let message = plan.validate().unwrap_err().to_string();
        assert!(
            message.contains("markupPercent: must not be negative"),
            "{message}"
        );
    }

    #[test]
    fn foreign_currency_needs_an_exchange_rate() {
        let eur = PricingPlan {
            currency: "EUR".into(),
            ..PricingPlan::default()
        };
        assert_eq!(fields(&eur), vec!["usdExchangeRate"]);
        let ok = PricingPlan {
            usd_exchange_rate: Some(dec!(0.92)),
            ..eur
        };
        assert!(ok.validate().is_ok());
        let usd_with_rate = PricingPlan {
            usd_exchange_rate: Some(dec!(0.92)),
            ..PricingPlan::default()
        };
        assert_eq!(fields(&usd_with_rate), vec!["usdExchangeRate"]);
    }

    #[test]
    fn an_empty_plan_bills_nothing_and_is_refused() {
        let plan = PricingPlan {
            markup_percent: None,
            ..PricingPlan::default()
        };
        assert_eq!(fields(&plan), vec!["plan"]);
    }

    #[test]
    fn rounding_rules_round_each_call_up() {
        use MinuteRounding::*;
        assert_eq!(ExactSeconds.billed_millis(61_234), 61_234);
        assert_eq!(UpTo6Seconds.billed_millis(61_234), 66_000);
        assert_eq!(UpTo6Seconds.billed_millis(60_000), 60_000);
        assert_eq!(UpTo30Seconds.billed_millis(1), 30_000);
        assert_eq!(UpTo60Seconds.billed_millis(60_001), 120_000);
        assert_eq!(UpTo60Seconds.billed_millis(0), 0);
        assert_eq!(UpTo60Seconds.billed_millis(-5), 0);
    }
}
