//! Reading the call cache that `sync` fills: the calls view (a page of calls at a time), per-org
//! totals, and this month's and last month's figures. `agency.rs` holds them as `Agency` methods.

mod agency;
mod months;
mod query;
mod stats;

pub use months::{months_of, CallsMonths, MonthFigures};
pub use query::{call_json, count_calls, list_calls, CallRow, CallsCursor, CallsPage, CallsQuery};
pub use stats::{stats, OrgCallStats};

use rust_decimal::Decimal;

/// Micro-USD as an exact decimal string of dollars ("0.013060").
pub(crate) fn usd_text(micros: i64) -> String {
    Decimal::new(micros, 6).to_string()
}
