//! Reading the call cache that `sync` fills: the calls view (a page of calls at a time), per-org
//! totals, and this month's and last month's figures. `agency.rs` holds them as `Agency` methods.

mod agency;
mod months;
mod query;
mod stats;
mod usd;

pub use months::{months_of, CallsMonths, MonthFigures};
pub use query::{call_json, count_calls, list_calls, CallRow, CallsCursor, CallsPage, CallsQuery};
pub use stats::{stats, OrgCallStats};
