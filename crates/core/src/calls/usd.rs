//! Cost as the calls view shows it.

use rust_decimal::Decimal;

/// Micro-USD as an exact decimal string of dollars ("0.013060").
pub(crate) fn usd_text(micros: i64) -> String {
    Decimal::new(micros, 6).to_string()
}
