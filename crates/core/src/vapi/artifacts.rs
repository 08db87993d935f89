//! A call's recordings and logs. Vapi serves them only through authenticated endpoints that
//! answer 302 to a short-lived storage URL; the key goes with the first request only (to the
//! org's checked Vapi address), never to the storage host.

use chrono::Utc;
use reqwest::header::{ACCEPT, AUTHORIZATION, LOCATION, RETRY_AFTER};
use reqwest::Method;
use url::Url;

use super::base_url::is_loopback;
use super::client::{status_failure, Failure, Outcome, Replay, Request, VapiClient};
use super::error::VapiError;
use super::retry::parse_retry_after;

/// What can be fetched for a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallArtifact {
    MonoRecording,
    StereoRecording,
    CustomerRecording,
    AssistantRecording,
    /// Gzipped JSON lines.
    Logs,
}

impl CallArtifact {
    fn path(self) -> &'static str {
        match self {
            CallArtifact::MonoRecording => "mono-recording",
            CallArtifact::StereoRecording => "stereo-recording",
            CallArtifact::CustomerRecording => "customer-recording",
            CallArtifact::AssistantRecording => "assistant-recording",
            CallArtifact::Logs => "call-logs",
        }
    }

    fn what(self) -> &'static str {
        match self {
            CallArtifact::Logs => "call log",
            _ => "recording",
        }
    }
}

/// A storage URL may be https anywhere (Vapi's storage is on other hosts), plain http only on
/// this machine (the simulator).
fn acceptable_storage(url: &Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url))
}

impl VapiClient {
    /// The call's artifact, `None` when Vapi has none (404: no recording, or the call is gone).
    /// 429 and 5xx are retried on both requests, honouring `Retry-After`.
    pub async fn call_artifact(
        &self,
        call_id: &str,
        artifact: CallArtifact,
    ) -> Result<Option<Vec<u8>>, VapiError> {
        let req = Request {
            method: Method::GET,
            path: &["call", call_id, artifact.path()],
            query: Vec::new(),
            body: None,
            what: artifact.what(),
            replay: Replay::Safe,
        };
        let url = self.url(req.path, &req.query)?;
        let located = self
            .retrying(&req, &url, |url| self.locate(url, artifact.what()))
            .await;
        let storage = match located {
            Ok(Outcome::Done(storage)) => storage,
            Ok(Outcome::AlreadyDeleted) | Err(VapiError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let fetched = self
            .retrying(&req, &storage, |url| self.download(url, artifact.what()))
            .await;
        match fetched {
            Ok(Outcome::Done(bytes)) => Ok(Some(bytes)),
            Ok(Outcome::AlreadyDeleted) | Err(VapiError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One authenticated request; its 302's `Location`.
    async fn locate(&self, url: Url, what: &'static str) -> Result<Url, Failure> {
        let response = self
            .http
            .get(url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_failure(e))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| url.join(l).ok())
                .filter(acceptable_storage);
            return location.ok_or_else(|| {
                Failure::fatal(VapiError::InvalidResponse {
                    detail: format!("the {what} address Vapi gave is missing or not secure"),
                })
            });
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Utc::now()));
        let body = response.bytes().await.unwrap_or_default();
        if status.is_success() {
            return Err(Failure::fatal(VapiError::InvalidResponse {
                detail: format!("Vapi sent the {what} itself instead of its address"),
            }));
        }
        Err(status_failure(
            status,
            self.error_messages(&body),
            what,
            retry_after,
        ))
    }

    /// The storage URL's bytes, fetched without the key.
    async fn download(&self, url: Url, what: &'static str) -> Result<Vec<u8>, Failure> {
        let response = self
            .storage
            .get(url)
            .send()
            .await
            .map_err(|e| self.transport_failure(e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Utc::now()));
        if !status.is_success() {
            // Storage errors are not Vapi's JSON: only the status says anything.
            return Err(status_failure(status, Vec::new(), what, retry_after));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_failure(e))?;
        Ok(bytes.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_urls_are_https_or_this_machine() {
        let ok = |u: &str| acceptable_storage(&Url::parse(u).unwrap());
        assert!(ok("https://storage.example/a.wav?sig=1"));
        assert!(ok("http://127.0.0.1:9/a.wav"));
        assert!(!ok("http://storage.example/a.wav"));
        assert!(!ok("file:///etc/passwd"));
    }
}
