//! How far one scan may go.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanLimits {
    /// Scripts fetched per page (inline scripts are part of the page and always read).
    pub max_scripts: usize,
    /// Bytes read of one page or script; the rest is not downloaded.
    pub max_resource_bytes: usize,
    /// Bytes read in the whole scan.
    pub max_total_bytes: usize,
    /// Redirects followed per fetch (same site only).
    pub max_redirects: usize,
    /// One request, body included.
    pub request_timeout: Duration,
    /// The whole scan; what is left unfetched when it runs out is listed.
    pub total_time: Duration,
}

impl Default for ScanLimits {
    fn default() -> Self {
        Self {
            max_scripts: 25,
            max_resource_bytes: 2 * 1024 * 1024,
            max_total_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            request_timeout: Duration::from_secs(10),
            total_time: Duration::from_secs(30),
        }
    }
}
