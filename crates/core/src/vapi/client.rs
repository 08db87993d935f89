//! The HTTP side of the Vapi client: base URL, key header, timeouts, retries, error mapping.
//! The endpoints themselves are in `endpoints.rs`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, DATE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use super::base_url::validate_base_url;
use super::error::VapiError;
use super::redact::without_key;
use super::retry::{backoff, parse_retry_after};
use super::server_clock::ServerClock;
use crate::sensitive::SecretKey;

/// Vapi's production API.
pub const DEFAULT_BASE_URL: &str = "https://api.vapi.ai";

/// Longest server message kept in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 300;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub request_timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Cap on a server's `Retry-After`, so a bogus header cannot stall the app.
    pub max_retry_after: Duration,
    /// Items per page when listing everything (Vapi allows at most 1000).
    pub page_size: u32,
    /// A whole recording or log file from its storage URL.
    pub download_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_retries: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            page_size: 1000,
            download_timeout: Duration::from_secs(300),
        }
    }
}

/// A client for one Vapi org, holding that org's key.
#[derive(Clone)]
pub struct VapiClient {
    pub(super) http: reqwest::Client,
    /// Fetches the short-lived storage URLs recordings and logs redirect to: never sends the key.
    pub(super) storage: reqwest::Client,
    base: Url,
    key: SecretKey,
    pub(super) auth: HeaderValue,
    pub(super) options: ClientOptions,
    /// Shared by the clones of this client.
    clock: Arc<ServerClock>,
}

impl std::fmt::Debug for VapiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapiClient")
            .field("base", &self.base.as_str())
            .field("key", &self.key.fingerprint())
            .finish_non_exhaustive()
    }
}

/// Whether a request may be sent again after a failure that might have reached Vapi.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Replay {
    /// Reads and PATCHes: repeating them changes nothing.
    Safe,
    /// DELETE: repeating is harmless, and "not found" after an attempt that may have gone
    /// through means it did.
    Delete,
    /// Creations: only retried when Vapi surely did not process the first attempt (connection
    /// refused, 429, 503); otherwise the error says the change is unconfirmed.
    OnlyIfUnprocessed,
}

pub(super) struct Request<'a> {
    pub method: Method,
    pub path: &'a [&'a str],
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
    /// What the path names, for "Vapi has no {what}" messages.
    pub what: &'static str,
    pub replay: Replay,
}

enum Retry {
    No,
    Yes {
        /// Vapi may have acted on the request before failing.
        maybe_processed: bool,
        after: Option<Duration>,
    },
}

pub(super) enum Outcome<T> {
    Done(T),
    AlreadyDeleted,
}

pub(super) struct Failure {
    pub(super) error: VapiError,
    retry: Retry,
}

impl Failure {
    pub(super) fn fatal(error: VapiError) -> Self {
        Self {
            error,
            retry: Retry::No,
        }
    }

    pub(super) fn transient(
        error: VapiError,
        maybe_processed: bool,
        after: Option<Duration>,
    ) -> Self {
        Self {
            error,
            retry: Retry::Yes {
                maybe_processed,
                after,
            },
        }
    }
}

impl VapiClient {
    /// A client for the org whose key this is. `base_url` must be https (plain http only for
    /// loopback addresses such as the local simulator).
    pub fn new(base_url: &str, key: SecretKey) -> Result<Self, VapiError> {
        Self::with_options(base_url, key, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        key: SecretKey,
        options: ClientOptions,
    ) -> Result<Self, VapiError> {
        let base = validate_base_url(base_url)?;
        let auth = auth_header(&key)?;
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // A redirect could carry the key to another host; Vapi never redirects API calls.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("agencydesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| VapiError::Unreachable {
                base: base.to_string(),
                reason: "secure connections could not be set up",
                source,
            })?;
        let storage = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.download_timeout)
            .redirect(reqwest::redirect::Policy::none())
            // The bytes as stored: their checksum is the file's.
            .no_gzip()
            .user_agent(concat!("agencydesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|source| VapiError::Unreachable {
                base: base.to_string(),
                reason: "secure connections could not be set up",
                source,
            })?;
        Ok(Self {
            http,
            storage,
            base,
            key,
            auth,
            options,
            clock: Arc::default(),
        })
    }

    /// Vapi's time now, as its latest answer to this client gave it; this machine's time before
    /// any answer (see [`ServerClock`]).
    pub fn server_now(&self) -> DateTime<Utc> {
        self.clock.server_now().unwrap_or_else(Utc::now)
    }

    /// Vapi's time now, asking Vapi when no answer has given it yet (a one-call `GET /call`). Falls back to this machine's time if Vapi cannot be asked.
    pub async fn fetch_server_now(&self) -> DateTime<Utc> {
        if let Some(now) = self.clock.server_now() {
            return now;
        }
        let one = super::models::CallFilter {
            limit: Some(1),
            ..super::models::CallFilter::default()
        };
        if let Err(e) = self.list_calls_raw(&one).await {
            tracing::debug!(error = %e, "Vapi's clock could not be read; using this machine's");
        }
        self.server_now()
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    pub fn key_fingerprint(&self) -> String {
        self.key.fingerprint()
    }

    pub(super) async fn send<T: DeserializeOwned>(&self, req: Request<'_>) -> Result<T, VapiError> {
        let what = req.what;
        match self.send_with_retries(req).await? {
            Outcome::Done(value) => Ok(value),
            Outcome::AlreadyDeleted => Err(VapiError::NotFound { what }),
        }
    }

    /// Sends a DELETE; success also when a retry finds the object already gone after an
    /// earlier attempt that may have deleted it.
    pub(super) async fn send_delete(&self, req: Request<'_>) -> Result<(), VapiError> {
        debug_assert_eq!(req.replay, Replay::Delete);
        self.send_with_retries::<serde::de::IgnoredAny>(req)
            .await
            .map(|_| ())
    }

    async fn send_with_retries<T: DeserializeOwned>(
        &self,
        req: Request<'_>,
    ) -> Result<Outcome<T>, VapiError> {
        let url = self.url(req.path, &req.query)?;
        self.retrying(&req, &url, |url| self.attempt::<T>(&req, url))
            .await
    }

    /// Runs `attempt` on `url` until it succeeds, fails for good or runs out of retries, waiting
    /// `Retry-After` (capped) or a growing backoff between tries, as `req.replay` allows.
    pub(super) async fn retrying<T, Fut>(
        &self,
        req: &Request<'_>,
        url: &Url,
        attempt_once: impl Fn(Url) -> Fut,
    ) -> Result<Outcome<T>, VapiError>
    where
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let mut attempt = 0u32;
        let mut earlier_maybe_processed = false;
        loop {
            let failure = match attempt_once(url.clone()).await {
                Ok(value) => return Ok(Outcome::Done(value)),
                Err(failure) => failure,
            };
            if req.replay == Replay::Delete
                && earlier_maybe_processed
                && matches!(failure.error, VapiError::NotFound { .. })
            {
                return Ok(Outcome::AlreadyDeleted);
            }
            let (maybe_processed, after) = match failure.retry {
                Retry::No => return Err(failure.error),
                Retry::Yes {
                    maybe_processed,
                    after,
                } => (maybe_processed, after),
            };
            let replayable = req.replay != Replay::OnlyIfUnprocessed || !maybe_processed;
            if !replayable {
                return Err(VapiError::Unconfirmed(Box::new(failure.error)));
            }
            if attempt >= self.options.max_retries {
                return Err(failure.error);
            }
            earlier_maybe_processed |= maybe_processed;
            let delay = match after {
                Some(after) => after.min(self.options.max_retry_after),
                None => backoff(
                    attempt,
                    self.options.initial_backoff,
                    self.options.max_backoff,
                ),
            };
            tracing::debug!(
                method = %req.method,
                path = url.path(),
                attempt,
                delay_ms = delay.as_millis() as u64,
                error = %failure.error,
                "retrying Vapi request"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        req: &Request<'_>,
        url: Url,
    ) -> Result<T, Failure> {
        let mut builder = self
            .http
            .request(req.method.clone(), url)
            .header(AUTHORIZATION, self.auth.clone())
            .header(ACCEPT, "application/json");
        if let Some(body) = &req.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = builder
            .send()
            .await
            .map_err(|e| self.transport_failure(e))?;
        let status = response.status();
        self.clock.observe(
            response.headers().get(DATE).and_then(|v| v.to_str().ok()),
            Utc::now(),
        );
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Utc::now()));
        let body = response.bytes().await;
        if !status.is_success() {
            let messages = body
                .map(|bytes| self.error_messages(&bytes))
                .unwrap_or_default();
            return Err(status_failure(status, messages, req.what, retry_after));
        }
        let bytes = body.map_err(|e| self.transport_failure(e))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            if e.is_eof() || e.is_syntax() {
                Failure::transient(
                    VapiError::InvalidResponse {
                        detail: "the answer was cut off or malformed".to_owned(),
                    },
                    true,
                    None,
                )
            } else {
                Failure::fatal(VapiError::InvalidResponse {
                    detail: format!("unexpected {} data: {e}", req.what),
                })
            }
        })
    }

    pub(super) fn transport_failure(&self, error: reqwest::Error) -> Failure {
        let base = self.base.to_string();
        if error.is_timeout() {
            return Failure::transient(VapiError::Timeout { base }, true, None);
        }
        // Asking again will not make a certificate trusted. The handshake failed before any
        // request (and so the key) was sent.
        if rejected_certificate(&error) {
            return Failure::fatal(VapiError::UntrustedCertificate {
                base,
                source: error,
            });
        }
        // A refused or failed connection never reached Vapi; anything later might have.
        let (reason, maybe_processed) = if error.is_connect() {
            ("could not connect", false)
        } else if error.is_body() || error.is_decode() {
            ("the answer was cut off", true)
        } else {
            ("the connection failed", true)
        };
        Failure::transient(
            VapiError::Unreachable {
                base,
                reason,
                source: error,
            },
            maybe_processed,
            None,
        )
    }

    /// Messages from a NestJS-style error body, scrubbed of the key and shortened.
    pub(super) fn error_messages(&self, body: &[u8]) -> Vec<String> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Message {
            One(String),
            Many(Vec<String>),
        }
        #[derive(serde::Deserialize)]
        struct ErrorBody {
            message: Option<Message>,
            error: Option<String>,
        }
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let messages = match parsed {
            Some(ErrorBody {
                message: Some(Message::One(m)),
                ..
            }) => vec![m],
            Some(ErrorBody {
                message: Some(Message::Many(ms)),
                ..
            }) => ms,
            Some(ErrorBody { error: Some(e), .. }) => vec![e],
            _ => Vec::new(),
        };
        messages
            .iter()
            .take(10)
            .map(|m| shorten(&without_key(m, &self.key)))
            .collect()
    }

    pub(super) fn url(
        &self,
        path: &[&str],
        query: &[(&'static str, String)],
    ) -> Result<Url, VapiError> {
        let mut url = self.base.clone();
        {
            let mut segments = url
                .path_segments_mut()
                .map_err(|()| VapiError::InvalidBaseUrl {
                    url: self.base.to_string(),
                    reason: "it cannot have a path",
                })?;
            // `extend` percent-encodes, so an id can never add path segments of its own.
            segments.pop_if_empty().extend(path);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }
}

pub(super) fn status_failure(
    status: StatusCode,
    messages: Vec<String>,
    what: &'static str,
    retry_after: Option<Duration>,
) -> Failure {
    match status.as_u16() {
        401 => Failure::fatal(VapiError::Unauthorized),
        403 => Failure::fatal(VapiError::Forbidden {
            message: if messages.is_empty() {
                "access denied".to_owned()
            } else {
                messages.join("; ")
            },
        }),
        404 => Failure::fatal(VapiError::NotFound { what }),
        400 | 422 => Failure::fatal(VapiError::BadRequest { messages }),
        409 => Failure::fatal(VapiError::Conflict { messages }),
        429 => Failure::transient(VapiError::RateLimited { retry_after }, false, retry_after),
        // 503 means the service turned the request away unprocessed.
        503 => Failure::transient(VapiError::Server { status: 503 }, false, retry_after),
        code @ 500..=599 => Failure::transient(VapiError::Server { status: code }, true, None),
        code => Failure::fatal(VapiError::Unexpected {
            status: code,
            messages,
        }),
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_MESSAGE_CHARS {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    short.push('…');
    short
}

fn auth_header(key: &SecretKey) -> Result<HeaderValue, VapiError> {
    let key = key.expose();
    if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(VapiError::InvalidKey);
    }
    let mut value = zeroize::Zeroizing::new(String::with_capacity(key.len() + 7));
    value.push_str("Bearer ");
    value.push_str(key);
    let mut header = HeaderValue::from_str(&value).map_err(|_| VapiError::InvalidKey)?;
    // Keeps the value out of reqwest/hyper debug output.
    header.set_sensitive(true);
    Ok(header)
}

/// Whether the TLS handshake failed on the server's certificate. rustls's error sits a few
/// sources deep under reqwest's and hyper's; its text is the stable part ("invalid peer
/// certificate: UnknownIssuer" and the like).
fn rejected_certificate(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.to_string().contains("invalid peer certificate") {
            return true;
        }
        source = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_spaces_or_control_characters_are_refused() {
        for bad in ["", "a b", "abc\n"] {
            assert!(matches!(
                VapiClient::new(DEFAULT_BASE_URL, SecretKey::new(bad.into())),
                Err(VapiError::InvalidKey)
            ));
        }
        let client = VapiClient::new(DEFAULT_BASE_URL, SecretKey::new("k-123".into())).unwrap();
        assert!(!format!("{client:?}").contains("k-123"));
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        let client =
            VapiClient::new("https://api.vapi.ai/v1/", SecretKey::new("k".into())).unwrap();
        let url = client
            .url(&["token", "../org"], &[("limit", "5".to_owned())])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.vapi.ai/v1/token/..%2Forg?limit=5"
        );
    }

    #[test]
    fn statuses_map_to_errors() {
        let f = status_failure(StatusCode::UNAUTHORIZED, vec![], "org", None);
        assert!(matches!(f.error, VapiError::Unauthorized) && matches!(f.retry, Retry::No));
        let f = status_failure(
            StatusCode::TOO_MANY_REQUESTS,
            vec![],
            "org",
            Some(Duration::from_secs(2)),
        );
        assert!(matches!(
            f.retry,
            Retry::Yes { maybe_processed: false, after: Some(d) } if d == Duration::from_secs(2)
        ));
        let f = status_failure(StatusCode::BAD_GATEWAY, vec![], "org", None);
        assert!(matches!(
            f.retry,
            Retry::Yes {
                maybe_processed: true,
                ..
            }
        ));
        let f = status_failure(StatusCode::NOT_FOUND, vec![], "API key", None);
        assert!(f.error.to_string().contains("no API key"));
    }
}
