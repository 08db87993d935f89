//! The billing facts Vapi puts in an org: its account's `subscription` (shared by the account's
//! orgs). Every field is optional and read leniently: a field of an unexpected type reads as
//! absent rather than failing the whole org, since linking and refreshing read orgs too.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `Org.subscription`, as far as agencydesk shows it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// The tier: `pay-as-you-go`, `agency`, `enterprise`, ...
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub kind: Option<String>,
    /// `active` or `frozen`.
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    /// The credit balance in USD; Vapi sends a string so no float touches it.
    #[serde(default, deserialize_with = "lenient_text")]
    pub credits: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub minutes_included: Option<f64>,
    /// Minutes used since the last monthly reset, by all the account's orgs.
    #[serde(default, deserialize_with = "lenient")]
    pub minutes_used: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub concurrency_limit_included: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub concurrency_limit_purchased: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub call_retention_days: Option<f64>,
}

/// The value if it has the expected type; `None` (never an error) otherwise.
pub(crate) fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// A string as given, or a number's decimal text.
fn lenient_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_fields_read_as_absent_and_credits_stay_text() {
        let s: Subscription = serde_json::from_value(serde_json::json!({
            "type": "agency",
            "status": 3,
            "credits": "12.3456",
            "minutesUsed": "many",
            "minutesIncluded": 100,
            "callRetentionDays": null,
        }))
        .unwrap();
        assert_eq!(s.kind.as_deref(), Some("agency"));
        assert_eq!(s.status, None);
        assert_eq!(s.credits.as_deref(), Some("12.3456"));
        assert_eq!(s.minutes_used, None);
        assert_eq!(s.minutes_included, Some(100.0));
        assert_eq!(s.call_retention_days, None);
        let numeric: Subscription =
            serde_json::from_value(serde_json::json!({"credits": 7.5})).unwrap();
        assert_eq!(numeric.credits.as_deref(), Some("7.5"));
    }
}
