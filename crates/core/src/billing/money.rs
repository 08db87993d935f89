//! Decimal money: the only place where amounts change representation.
//!
//! Vapi reports costs as JSON floats in USD. They are converted once, at ingestion
//! ([`crate::vapi::money::usd_to_micros`]), into integer micro-dollars, which the cache stores;
//! from there on every amount is an exact `Decimal`. Amounts are rounded half away from zero
//! ("half-up" as accountants mean it, so -1.005 becomes -1.01), only to cents, and only where a
//! line amount or a tax amount is fixed.

use rust_decimal::{Decimal, RoundingStrategy};

/// Micro-dollars as an exact decimal amount of USD.
pub fn usd_from_micros(micros: i64) -> Decimal {
    Decimal::new(micros, 6)
}

/// Rounds an amount to cents, half away from zero.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds a quantity (minutes) to the 4 decimal places that QuickBooks and Xero accept.
pub fn round_quantity(quantity: Decimal) -> Decimal {
    quantity.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// `percent` as a factor: 20 becomes 0.20.
pub fn percent(value: Decimal) -> Decimal {
    value / Decimal::ONE_HUNDRED
}

/// Formats an amount with exactly two decimals (`-12.5` becomes `-12.50`), for CSV cells.
pub fn format_amount(amount: Decimal) -> String {
    let mut rounded = round_cents(amount);
    rounded.rescale(2);
    rounded.to_string()
}

/// Formats a quantity or rate without trailing zeros but with at least `min_dp` decimals.
pub fn format_decimal(value: Decimal, min_dp: u32) -> String {
    let mut normalized = value.normalize();
    if normalized.scale() < min_dp {
        normalized.rescale(min_dp);
    }
    normalized.to_string()
}

/// Billed milliseconds as minutes, exact (the caller rounds for display).
pub fn minutes_from_millis(millis: i64) -> Decimal {
    Decimal::from(millis) / Decimal::from(60_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounding_is_half_away_from_zero_at_the_cent() {
        assert_eq!(round_cents(dec!(1.005)), dec!(1.01));
        assert_eq!(round_cents(dec!(1.0049999)), dec!(1.00));
        assert_eq!(round_cents(dec!(-1.005)), dec!(-1.01));
        assert_eq!(round_cents(dec!(2.675)), dec!(2.68));
    }

    #[test]
    fn formatting_keeps_signs_and_fixed_cents() {
        assert_eq!(format_amount(dec!(-12.5)), "-12.50");
        assert_eq!(format_amount(dec!(0)), "0.00");
        assert_eq!(format_decimal(dec!(12.5000), 0), "12.5");
        assert_eq!(format_decimal(dec!(0.1), 2), "0.10");
        assert_eq!(format_decimal(dec!(3), 0), "3");
    }

    #[test]
    fn micros_are_exact() {
        assert_eq!(usd_from_micros(1_234_567), dec!(1.234567));
        assert_eq!(minutes_from_millis(90_000), dec!(1.5));
    }
}
