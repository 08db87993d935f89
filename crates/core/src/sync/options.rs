//! Knobs of a call sync. The defaults are what the app and the CLI use.

use std::time::Duration;

/// How a call's JSON is kept in `calls.raw`. Either way [`super::raw::decode`] reads it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawEncoding {
    /// The JSON text as received.
    Plain,
    /// A zstd frame of the JSON text, at this compression level.
    Zstd(i32),
    /// A zstd frame at this level, compressed with a dictionary trained on the org's first
    /// calls (each call alone until the org has one).
    ZstdDictionary(i32),
}

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Calls per page (Vapi allows 1 to 1000). Smaller only in tests.
    pub page_size: u32,
    /// Requests to Vapi in flight at once, over all orgs.
    pub max_in_flight: usize,
    /// Subtracted from a pass's start time to make the next watermark: covers clock skew between
    /// this machine and Vapi, and Vapi writes that become visible a little after their
    /// `updatedAt`. Calls re-read because of it cost an upsert each.
    pub watermark_margin: Duration,
    /// After the client has used up its own retries on a transient failure (5xx, 429, timeout,
    /// a cut-off page), the page is asked again this many more times before the org fails.
    pub page_retries: u32,
    /// Pause before such a page-level retry.
    pub page_retry_delay: Duration,
    pub raw_encoding: RawEncoding,
    /// Rows per write transaction, at most (pages of several orgs share a transaction).
    pub write_batch_rows: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            page_size: 1000,
            max_in_flight: 4,
            watermark_margin: Duration::from_secs(120),
            page_retries: 3,
            page_retry_delay: Duration::from_secs(2),
            // Chosen by measurement (see the module docs of `sync`).
            raw_encoding: RawEncoding::ZstdDictionary(1),
            write_batch_rows: 40_000,
        }
    }
}

impl SyncOptions {
    pub(crate) fn limit(&self) -> u32 {
        self.page_size.clamp(1, 1000)
    }
}
