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
    round_money(amount, 2)
}

/// ISO 4217 currencies without a minor unit: their amounts are whole numbers everywhere.
const NO_MINOR_UNIT: [&str; 16] = [
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF",
];

/// Decimals an amount of `currency` carries: 0 for currencies without a minor unit (JPY), 2
/// otherwise. Three-decimal currencies (BHD, KWD) stay at 2, which their accounting imports
/// accept.
pub fn currency_decimals(currency: &str) -> u32 {
    if NO_MINOR_UNIT.contains(&currency.trim().to_ascii_uppercase().as_str()) {
        0
    } else {
        2
    }
}

/// Rounds an amount to `decimals` places, half away from zero.
pub fn round_money(amount: Decimal, decimals: u32) -> Decimal {
    amount.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats an amount of `currency` with exactly its decimals (`1234.5 USD` is `1234.50`,
/// `1234 JPY` is `1234`): every file and document writes amounts through this.
pub fn format_money(amount: Decimal, currency: &str) -> String {
    let decimals = currency_decimals(currency);
    let mut rounded = round_money(amount, decimals);
    rounded.rescale(decimals);
    rounded.to_string()
}

/// Rounds a quantity (minutes) to the 4 decimal places that QuickBooks and Xero accept.
pub fn round_quantity(quantity: Decimal) -> Decimal {
    quantity.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// `percent` as a factor: 20 becomes 0.20.
pub fn percent(value: Decimal) -> Decimal {
    value / Decimal::ONE_HUNDRED
}

/// Formats an amount with exactly two decimals (`-12.5` becomes `-12.50`).
pub fn format_amount(amount: Decimal) -> String {
    format_money(amount, "USD")
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
    fn currencies_without_a_minor_unit_have_no_decimals() {
        assert_eq!(format_money(dec!(1234.5), "JPY"), "1235");
        assert_eq!(format_money(dec!(-1234.5), "jpy"), "-1235");
        assert_eq!(format_money(dec!(1234), "KRW"), "1234");
        assert_eq!(format_money(dec!(1234.5), "USD"), "1234.50");
        assert_eq!(format_money(dec!(0.005), "EUR"), "0.01");
        assert_eq!(currency_decimals("JPY"), 0);
        assert_eq!(currency_decimals("GBP"), 2);
    }

    #[test]
    fn micros_are_exact() {
        assert_eq!(usd_from_micros(1_234_567), dec!(1.234567));
        assert_eq!(minutes_from_millis(90_000), dec!(1.5));
    }
}
