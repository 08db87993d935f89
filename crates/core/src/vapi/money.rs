//! Vapi reports USD as JSON floats. agencydesk stores and adds integer micro-USD; this is the one
//! conversion, done on the decimal text of the number so no float arithmetic touches money.

/// Micro-USD in one USD.
pub const MICROS_PER_USD: i64 = 1_000_000;

/// `usd` in micro-USD, rounded half away from zero at the seventh decimal. `None` for NaN,
/// infinities and amounts too large for `i64` micros.
pub fn usd_to_micros(usd: f64) -> Option<i64> {
    if !usd.is_finite() {
        return None;
    }
    // Rust prints the shortest decimal that reads back as the same f64, never in exponent form,
    // so this text is exactly the number Vapi wrote (for amounts with up to ~15 digits).
    let text = format!("{usd}");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole: i64 = whole.parse().ok()?;
    let mut micros = whole.checked_mul(MICROS_PER_USD)?;
    let mut fraction_digits = fraction.bytes().map(|b| i64::from(b - b'0'));
    let mut scale = MICROS_PER_USD / 10;
    while scale > 0 {
        micros = micros.checked_add(fraction_digits.next().unwrap_or(0) * scale)?;
        scale /= 10;
    }
    if fraction_digits.next().is_some_and(|d| d >= 5) {
        micros = micros.checked_add(1)?;
    }
    Some(if negative { -micros } else { micros })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_exactly() {
        assert_eq!(usd_to_micros(0.0), Some(0));
        assert_eq!(usd_to_micros(0.1), Some(100_000));
        // 0.1 + 0.2 in floats is 0.30000000000000004; the micros are still exact.
        assert_eq!(usd_to_micros(0.1 + 0.2), Some(300_000));
        assert_eq!(usd_to_micros(1.234567), Some(1_234_567));
        assert_eq!(usd_to_micros(0.0000005), Some(1));
        assert_eq!(usd_to_micros(0.0000004), Some(0));
        assert_eq!(usd_to_micros(12.5), Some(12_500_000));
        assert_eq!(usd_to_micros(-0.25), Some(-250_000));
        assert_eq!(usd_to_micros(f64::NAN), None);
        assert_eq!(usd_to_micros(1e300), None);
    }
}
