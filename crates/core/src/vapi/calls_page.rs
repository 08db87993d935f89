//! One page of `GET /call` as received: each call's JSON kept byte for byte.
//!
//! The call sync stores Vapi's JSON and only reads a few fields out of it, so parsing every call
//! into a `serde_json::Value` (and serializing it again) would be most of its work. Here the page
//! is split into the calls' raw JSON in one pass; the sync then reads the fields it needs.

use reqwest::Method;
use serde_json::value::RawValue;

use super::client::{Replay, Request, VapiClient};
use super::error::VapiError;
use super::models::CallFilter;

impl VapiClient {
    /// One page of calls, newest first, as raw JSON per call. Same retries as every other
    /// request: a cut-off or malformed page counts as a transient failure and is asked again,
    /// so a page is only ever returned whole.
    pub async fn list_calls_raw(
        &self,
        filter: &CallFilter,
    ) -> Result<Vec<Box<RawValue>>, VapiError> {
        self.send(Request {
            method: Method::GET,
            path: &["call"],
            query: filter.to_query(),
            body: None,
            what: "call",
            replay: Replay::Safe,
        })
        .await
    }
}
