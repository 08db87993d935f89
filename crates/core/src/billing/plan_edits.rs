//! Changes to a client's plan field by field, as `agencydesk plan set` takes them. They are
//! applied to the plan editor's form and parsed by it ([`PlanForm::parse`]), so the command line
//! and the app accept and refuse exactly the same plans.

use super::plan::MinuteRounding;
use super::plan_form::PlanForm;

/// One entry per form field: `None` leaves the field as it is, an empty text clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanEdits {
    pub currency: Option<String>,
    pub usd_exchange_rate: Option<String>,
    pub markup_percent: Option<String>,
    pub per_minute_rate: Option<String>,
    pub minute_rounding: Option<MinuteRounding>,
    pub monthly_fee: Option<String>,
    pub included_minutes: Option<String>,
    pub overage_rate: Option<String>,
    pub tax_code: Option<String>,
    pub tax_rate_percent: Option<String>,
    pub payment_terms_days: Option<String>,
}

impl PlanEdits {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `form` with these changes.
    pub fn apply(self, form: PlanForm) -> PlanForm {
        let pick = |edit: Option<String>, old: String| edit.unwrap_or(old);
        PlanForm {
            currency: pick(self.currency, form.currency),
            usd_exchange_rate: pick(self.usd_exchange_rate, form.usd_exchange_rate),
            markup_percent: pick(self.markup_percent, form.markup_percent),
            per_minute_rate: pick(self.per_minute_rate, form.per_minute_rate),
            minute_rounding: self.minute_rounding.unwrap_or(form.minute_rounding),
            monthly_fee: pick(self.monthly_fee, form.monthly_fee),
            included_minutes: pick(self.included_minutes, form.included_minutes),
            overage_rate: pick(self.overage_rate, form.overage_rate),
            tax_code: pick(self.tax_code, form.tax_code),
            tax_rate_percent: pick(self.tax_rate_percent, form.tax_rate_percent),
            payment_terms_days: pick(self.payment_terms_days, form.payment_terms_days),
        }
    }
}

/// Where edits start for a client with no saved plan: nothing billed yet, in USD, due in 30
/// days. Not the editor's suggested start (cost passed through), so `--per-minute 0.15` alone
/// means per-minute billing only rather than cost plus a rate.
pub fn blank_form() -> PlanForm {
    PlanForm {
        currency: "USD".to_owned(),
        usd_exchange_rate: String::new(),
        markup_percent: String::new(),
        per_minute_rate: String::new(),
        minute_rounding: MinuteRounding::ExactSeconds,
        monthly_fee: String::new(),
        included_minutes: String::new(),
        overage_rate: String::new(),
        tax_code: String::new(),
        tax_rate_percent: String::new(),
        payment_terms_days: "30".to_owned(),
    }
}

/// The short names of the rounding increments: `exact`, `6s`, `30s`, `60s`.
pub fn rounding_name(rounding: MinuteRounding) -> &'static str {
    match rounding {
        MinuteRounding::ExactSeconds => "exact",
        MinuteRounding::UpTo6Seconds => "6s",
        MinuteRounding::UpTo30Seconds => "30s",
        MinuteRounding::UpTo60Seconds => "60s",
    }
}

/// A rounding increment by its short name.
pub fn parse_rounding(text: &str) -> Option<MinuteRounding> {
    [
        MinuteRounding::ExactSeconds,
        MinuteRounding::UpTo6Seconds,
        MinuteRounding::UpTo30Seconds,
        MinuteRounding::UpTo60Seconds,
    ]
    .into_iter()
    .find(|r| rounding_name(*r) == text.trim().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_change_only_what_they_name_and_empty_text_clears() {
        let start = PlanForm {
            markup_percent: "25".into(),
            monthly_fee: "99".into(),
            ..blank_form()
        };
        let edited = PlanEdits {
            monthly_fee: Some(String::new()),
            minute_rounding: Some(MinuteRounding::UpTo60Seconds),
            ..PlanEdits::default()
        }
        .apply(start.clone());
        assert_eq!(edited.markup_percent, "25");
        assert_eq!(edited.monthly_fee, "");
        assert_eq!(edited.minute_rounding, MinuteRounding::UpTo60Seconds);
        assert_eq!(PlanEdits::default().apply(start.clone()), start);
        assert!(PlanEdits::default().is_empty());
    }

    #[test]
    fn rounding_names_go_both_ways_and_others_are_refused() {
        for name in ["exact", "6s", "30s", "60s"] {
            assert_eq!(parse_rounding(name).map(rounding_name), Some(name));
        }
        assert_eq!(parse_rounding(" 30S "), Some(MinuteRounding::UpTo30Seconds));
        assert_eq!(parse_rounding("45s"), None);
    }

    #[test]
    fn a_blank_plan_bills_nothing_so_the_form_refuses_it() {
        assert!(blank_form().parse().is_err());
    }
}
