//! The pricing-plan editor's form: every field as the text the person typed, parsed here into
//! a [`PricingPlan`] (exact decimals, never floats) with one plain-words issue per field.
//!
//! Parsing the typed text here means "not a number" and the plan's own rules ("bill minutes either
//! per minute or with included minutes") come back through one list, tied to the form's fields.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::PlanIssue;
use super::plan::{IncludedMinutes, MinuteRounding, PricingPlan, TaxRule};

/// The editor's fields. An empty text means "not part of the plan".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct PlanForm {
    pub currency: String,
    /// Units of the plan currency per USD; empty for USD plans.
    pub usd_exchange_rate: String,
    pub markup_percent: String,
    pub per_minute_rate: String,
    pub minute_rounding: MinuteRounding,
    pub monthly_fee: String,
    pub included_minutes: String,
    pub overage_rate: String,
    pub tax_code: String,
    pub tax_rate_percent: String,
    pub payment_terms_days: String,
}

/// A client's plan as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct PlanState {
    pub form: PlanForm,
    /// False when the client has no saved plan yet: `form` is a suggested start.
    pub saved: bool,
}

impl PlanForm {
    pub fn from_plan(plan: &PricingPlan) -> Self {
        let text = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            currency: plan.currency.clone(),
            usd_exchange_rate: text(plan.usd_exchange_rate),
            markup_percent: text(plan.markup_percent),
            per_minute_rate: text(plan.per_minute_rate),
            minute_rounding: plan.minute_rounding,
            monthly_fee: text(plan.monthly_fee),
            included_minutes: plan
                .included_minutes
                .as_ref()
                .map(|i| i.minutes.to_string())
                .unwrap_or_default(),
            overage_rate: text(plan.included_minutes.as_ref().map(|i| i.overage_rate)),
            tax_code: plan
                .tax
                .as_ref()
                .map(|t| t.code.clone())
                .unwrap_or_default(),
            tax_rate_percent: text(plan.tax.as_ref().map(|t| t.rate_percent)),
            payment_terms_days: plan.payment_terms_days.to_string(),
        }
    }

    /// Every problem of the form (none when it parses), for messages beside the fields.
    pub fn issues(&self) -> Vec<PlanIssue> {
        self.parse().err().unwrap_or_default()
    }

    /// The plan, or every problem at once (form fields named as in the JSON form).
    pub fn parse(&self) -> Result<PricingPlan, Vec<PlanIssue>> {
        let mut issues = Vec::new();
        let mut decimal = |field: &str, text: &str, example: &str| -> Option<Decimal> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match Decimal::from_str(text) {
                Ok(value) => Some(value),
                Err(_) => {
                    issues.push(issue(field, format!("enter a number such as {example}")));
                    None
                }
            }
        };
        let usd_exchange_rate = decimal("usdExchangeRate", &self.usd_exchange_rate, "0.92");
        let markup_percent = decimal("markupPercent", &self.markup_percent, "25");
        let per_minute_rate = decimal("perMinuteRate", &self.per_minute_rate, "0.15");
        let monthly_fee = decimal("monthlyFee", &self.monthly_fee, "99.00");
        let overage_rate = decimal("overageRate", &self.overage_rate, "0.12");
        let tax_rate = decimal("taxRatePercent", &self.tax_rate_percent, "8.25");

        let included = self.included_minutes.trim();
        let included_minutes = match (included.is_empty(), overage_rate) {
            (true, None) => None,
            (true, Some(_)) => {
                issues.push(issue(
                    "includedMinutes",
                    "enter the minutes included each month, or clear the overage rate".into(),
                ));
                None
            }
            (false, rate) => match included.parse::<u32>() {
                Ok(minutes) => {
                    if rate.is_none() && self.overage_rate.trim().is_empty() {
                        issues.push(issue(
                            "overageRate",
                            "enter the price of each minute beyond the included ones (0 if they are free)"
                                .into(),
                        ));
                    }
                    rate.map(|overage_rate| IncludedMinutes {
                        minutes,
                        overage_rate,
                    })
                }
                Err(_) => {
                    issues.push(issue(
                        "includedMinutes",
                        "enter a whole number of minutes such as 500".into(),
                    ));
                    None
                }
            },
        };

        let code = self.tax_code.trim();
        let tax = match (code.is_empty(), self.tax_rate_percent.trim().is_empty()) {
            (true, true) => None,
            (false, true) => {
                issues.push(issue(
                    "taxRatePercent",
                    "enter the tax rate in percent, such as 8.25".into(),
                ));
                None
            }
            (true, false) => {
                issues.push(issue(
                    "taxCode",
                    "enter the tax code your accounting software uses, such as TAX".into(),
                ));
                None
            }
            (false, false) => tax_rate.map(|rate_percent| TaxRule {
                code: code.to_owned(),
                rate_percent,
            }),
        };

        let payment_terms_days = match self.payment_terms_days.trim().parse::<u16>() {
            Ok(days) => days,
            Err(_) => {
                issues.push(issue(
                    "paymentTermsDays",
                    "enter the number of days until payment is due, such as 30".into(),
                ));
                0
            }
        };

        let plan = PricingPlan {
            currency: self.currency.trim().to_ascii_uppercase(),
            usd_exchange_rate,
            markup_percent,
            per_minute_rate,
            minute_rounding: self.minute_rounding,
            monthly_fee,
            included_minutes,
            tax,
            payment_terms_days,
        };
        // The plan's own rules too, unless a field it would judge could not even be read (an unreadable
        // markup would otherwise also read as "the plan bills nothing").
        let unreadable = !issues.is_empty();
        for core_issue in plan.issues() {
            let field = form_field(&core_issue.field);
            let already = issues.iter().any(|i| i.field == field);
            let masked = unreadable && field == "plan";
            if !already && !masked {
                issues.push(issue(field, core_issue.message));
            }
        }
        if issues.is_empty() {
            Ok(plan)
        } else {
            Err(issues)
        }
    }
}

fn issue(field: &str, message: String) -> PlanIssue {
    PlanIssue {
        field: field.to_owned(),
        message,
    }
}

/// The plan names nested fields (`tax.code`); the form has them flat (`taxCode`).
fn form_field(core_field: &str) -> &str {
    match core_field {
        "includedMinutes.minutes" => "includedMinutes",
        "includedMinutes.overageRate" => "overageRate",
        "tax.code" => "taxCode",
        "tax.ratePercent" => "taxRatePercent",
        other => other,
    }
}

/// What a person calls each field.
pub fn field_label(field: &str) -> &str {
    match form_field(field) {
        "currency" => "Currency",
        "usdExchangeRate" => "Exchange rate",
        "markupPercent" => "Markup",
        "perMinuteRate" => "Per-minute rate",
        "minuteRounding" => "Rounding",
        "monthlyFee" => "Monthly fee",
        "includedMinutes" => "Included minutes",
        "overageRate" => "Overage rate",
        "taxCode" => "Tax code",
        "taxRatePercent" => "Tax rate",
        "paymentTermsDays" => "Payment terms",
        _ => "Plan",
    }
}

/// `Markup: must not be negative; Tax code: ...`
pub fn describe_issues(issues: &[PlanIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", field_label(&i.field), i.message))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PlanForm {
        PlanForm::from_plan(&PricingPlan::default())
    }

    fn fields(form: &PlanForm) -> Vec<String> {
        match form.parse() {
            Ok(_) => Vec::new(),
            Err(issues) => issues.into_iter().map(|i| i.field).collect(),
        }
    }

    #[test]
    fn a_plan_survives_the_form_both_ways() {
        let plan = PricingPlan {
            currency: "EUR".into(),
            usd_exchange_rate: Some(Decimal::new(92, 2)),
            markup_percent: Some(Decimal::new(25, 0)),
            monthly_fee: Some(Decimal::new(9900, 2)),
            included_minutes: Some(IncludedMinutes {
                minutes: 500,
                overage_rate: Decimal::new(12, 2),
            }),
            tax: Some(TaxRule {
                code: "VAT 20".into(),
                rate_percent: Decimal::new(20, 0),
            }),
            minute_rounding: MinuteRounding::UpTo30Seconds,
            ..PricingPlan::default()
        };
        assert_eq!(PlanForm::from_plan(&plan).parse(), Ok(plan));
    }

    #[test]
    fn typed_text_is_trimmed_and_the_currency_upper_cased() {
        let typed = PlanForm {
            currency: " usd ".into(),
            markup_percent: " 40 ".into(),
            ..form()
        };
        let plan = typed.parse().unwrap();
        assert_eq!(plan.currency, "USD");
        assert_eq!(plan.markup_percent, Some(Decimal::new(40, 0)));
    }

    #[test]
    fn unreadable_and_half_filled_fields_are_named() {
        let typed = PlanForm {
            markup_percent: "ten".into(),
            included_minutes: "500.5".into(),
            overage_rate: "0.1".into(),
            tax_code: "TAX".into(),
            payment_terms_days: "".into(),
            ..form()
        };
        assert_eq!(
            fields(&typed),
            vec![
                "markupPercent",
                "includedMinutes",
                "taxRatePercent",
                "paymentTermsDays"
            ]
        );
        let rate_only = PlanForm {
            included_minutes: "300".into(),
            ..form()
        };
        assert_eq!(fields(&rate_only), vec!["overageRate"]);
    }

    #[test]
    fn core_rules_come_back_under_the_form_field_names() {
        let both = PlanForm {
            per_minute_rate: "0.10".into(),
            included_minutes: "100".into(),
            overage_rate: "0.2".into(),
            tax_code: "TAX".into(),
            tax_rate_percent: "120".into(),
            ..form()
        };
        assert_eq!(fields(&both), vec!["includedMinutes", "taxRatePercent"]);
        let message = describe_issues(&both.parse().unwrap_err());
        assert!(
            message.starts_with("Included minutes: bill minutes either"),
            "{message}"
        );
        assert!(
            message.contains("Tax rate: must be at most 100"),
            "{message}"
        );
    }
}
