//! Tolerant readers over a call's cached JSON: a field of the wrong type, an explicit `null` or
//! a missing one all read as absent, so one odd call still shows what it has.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::store::time;

/// The value at `path` (object keys), `None` when missing or `null`.
pub(crate) fn at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let found = path.iter().try_fold(v, |v, key| v.get(key))?;
    (!found.is_null()).then_some(found)
}

/// Text at `path`; empty text reads as absent.
pub(crate) fn text(v: &Value, path: &[&str]) -> Option<String> {
    at(v, path)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// A number at `path`, also when Vapi (or a proxy) sent it as text.
pub(crate) fn number(v: &Value, path: &[&str]) -> Option<f64> {
    match at(v, path)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

/// A whole count (tokens, characters) at `path`.
pub(crate) fn count(v: &Value, path: &[&str]) -> Option<u64> {
    number(v, path)
        .filter(|n| *n >= 0.0)
        .map(|n| n.round() as u64)
}

/// An ISO time at `path`, in the store's format.
pub(crate) fn time_at(v: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    text(v, path).and_then(|t| time::parse(&t))
}

/// Epoch milliseconds (fractional ones too, as Vapi's message times are) as a time.
pub(crate) fn epoch_ms(ms: f64) -> Option<DateTime<Utc>> {
    if !ms.is_finite() {
        return None;
    }
    DateTime::from_timestamp_millis(ms.round() as i64)
}

/// The array at `path`; anything else reads as empty.
pub(crate) fn items<'v>(v: &'v Value, path: &[&str]) -> &'v [Value] {
    at(v, path)
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
}
