//! CSV injection guard (OWASP "CSV Injection"): a spreadsheet treats a cell starting with `=`,
//! `+`, `-`, `@`, tab or carriage return as a formula. Text cells that start so get a leading
//! `'`, which spreadsheets show as text and do not evaluate. A line feed is treated the same
//! (some importers split on it before quoting rules apply).
//!
//! Only text cells go through [`text`]. Amounts, quantities and rates are formatted from a
//! `Decimal` (digits, `.`, an optional leading `-`: nothing a spreadsheet evaluates), so a credit
//! stays `-12.50`, a number an accounting import reads, instead of becoming the text `'-12.50`.

const TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// A text cell, neutralised if it could be read as a formula.
pub fn text(value: &str) -> String {
    if value.starts_with(TRIGGERS) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_are_prefixed() {
        for hostile in [
            "=1+1",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "\nx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(text(hostile), format!("'{hostile}"));
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for fine in [
            "Acme, Inc.",
            "O'Brien \"Bob\"",
            "Zoë 🚀",
            "",
            " =not first",
            "1-800",
        ] {
            assert_eq!(text(fine), fine);
        }
    }
}
