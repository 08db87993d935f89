//! Reading the call cache that `sync` fills: the calls view (a page of calls at a time), one
//! call's detail, full-text search over every client's calls, per-org totals, and this month's
//! and last month's figures. `agency.rs` holds them as `Agency` methods.

mod agency;
mod conversation;
mod cost_split;
mod detail;
mod json_read;
mod months;
mod plain_words;
mod query;
mod search;
mod search_terms;
mod snippet;
mod stats;
mod usd;

pub use conversation::{CallMessage, ToolCall};
pub use cost_split::{CostEntry, CostPart};
pub use detail::{
    cached_call_json, call_detail, mask_customer, CallDetail, CustomerInfo, SquadInfo,
    SuccessEvaluation,
};
pub use months::{months_of, CallsMonths, MonthFigures};
pub use plain_words::{ended_reason_text, mask_number};
pub use query::{call_json, count_calls, list_calls, CallRow, CallsCursor, CallsPage, CallsQuery};
pub use search::{search_calls, CallSearch, SearchHit, SearchPage};
pub use snippet::{snippet_text, SnippetPart};
pub use stats::{stats, OrgCallStats};
pub(crate) use usd::usd_text;
