//! CSV injection guard (OWASP "CSV Injection"): a spreadsheet treats a cell starting with `=`,
//! `+`, `-`, `@`, tab or carriage return as a formula. Text cells that start so get a leading
//! `'`, which spreadsheets show as text and do not evaluate. A line feed is treated the same
//! (some importers split on it before quoting rules apply).
//!
//! Spreadsheets also trim leading blanks before they look, and some read the full-width forms
//! (`＝ ＋ － ＠`, and the small forms `﹦ ﹢ ﹣ ﹫`) as their ASCII selves: a cell whose first
//! character that is not blank is any of those is neutralised too.
//!
//! Only text cells go through [`text`]. Amounts, quantities and rates are formatted from a
//! `Decimal` (digits, `.`, an optional leading `-`: nothing a spreadsheet evaluates), so a credit
//! stays `-12.50`, a number an accounting import reads, instead of becoming the text `'-12.50`.

/// Characters that start a formula, in every form a spreadsheet may read as one.
const TRIGGERS: [char; 15] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫',
];

/// Whether `c` may open a formula.
pub fn is_trigger(c: char) -> bool {
    TRIGGERS.contains(&c)
}

/// Blanks a spreadsheet may skip before it looks for a formula: whitespace (tab, CR and LF are
/// triggers themselves) and the invisible zero-width characters.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A text cell, neutralised if it could be read as a formula.
pub fn text(value: &str) -> String {
    let first = value.chars().find(|&c| is_trigger(c) || !is_blank(c));
    if first.is_some_and(is_trigger) {
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
            " =1+1",
            "   +cmd",
            "\u{a0}-1",
            "\u{3000}@x",
            "\u{200b}=1",
            "\u{feff}=1",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            " ＝1",
            "﹦1",
            "﹣1",
        ] {
            assert_eq!(text(hostile), format!("'{hostile}"), "{hostile:?}");
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for fine in [
            "Acme, Inc.",
            "O'Brien \"Bob\"",
            "Zoë 🚀",
            "",
            "   ",
            " a =not first",
            "1-800",
            "a＝b",
        ] {
            assert_eq!(text(fine), fine);
        }
    }
}
