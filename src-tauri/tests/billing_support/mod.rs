//! Shared by the billing CLI tests: the period they bill and readers for the exported CSV files.
#![allow(dead_code)] // each test file uses part of it

use std::collections::BTreeMap;
use std::path::Path;

use agencydesk_core::billing::Period;
use chrono::{Datelike, Days, Utc};

/// The last complete calendar month: fully inside the demo's 90 days of history.
pub fn last_month() -> Period {
    let today = Utc::now().date_naive();
    let last_day = today.with_day(1).unwrap() - Days::new(1);
    Period::month_of(last_day).unwrap()
}

/// The CSV's rows as header -> cell maps.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let record = r.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// An amount of the CSV files ("12.30", "-0.05", "7") in cents, exactly (no float on the way).
pub fn cents(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(fraction.len() <= 2, "{text:?} has more than two decimals");
    let value: i64 = format!("{whole}{fraction:0<2}")
        .parse()
        .unwrap_or_else(|_| panic!("{text:?} is not an amount"));
    if negative {
        -value
    } else {
        value
    }
}

/// Cents as the CLI prints a two-decimal amount ("12.30").
pub fn amount_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// Rows grouped by the value of `column`, in file order of first appearance.
pub fn group_by(
    rows: &[BTreeMap<String, String>],
    column: &str,
) -> Vec<(String, Vec<BTreeMap<String, String>>)> {
    let mut groups: Vec<(String, Vec<BTreeMap<String, String>>)> = Vec::new();
    for row in rows {
        let key = row[column].clone();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, rows)) => rows.push(row.clone()),
            None => groups.push((key, vec![row.clone()])),
        }
    }
    groups
}
