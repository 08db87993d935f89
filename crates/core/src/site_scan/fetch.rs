//! The scan's HTTP client: keyless and bounded.
//!
//! Its own `reqwest::Client`, never a Vapi client's: no `Authorization`, no cookies (reqwest
//! keeps none without a cookie store), no `Referer`, and redirects handled here one hop at a time
//! so that a hop to another site is refused rather than followed.

use tokio::time::{timeout_at, Instant};
use url::Url;

use super::limits::ScanLimits;
use super::site_url::same_site;
use crate::error::CoreError;

/// What one fetch gave.
pub(super) enum Fetched {
    /// The body as text (lossy UTF-8), from `final_url` after same-site redirects; `truncated`
    /// when a size limit stopped the download.
    Body {
        final_url: Url,
        text: String,
        truncated: bool,
    },
    /// Not fetched, or not usable; the reason in plain words.
    Refused(String),
}

pub(super) struct Fetcher {
    http: reqwest::Client,
    limits: ScanLimits,
    deadline: Instant,
    bytes_read: usize,
}

impl Fetcher {
    pub fn new(limits: &ScanLimits) -> Result<Self, CoreError> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(limits.request_timeout)
            .timeout(limits.request_timeout)
            .user_agent(concat!("agencydesk-site-check/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CoreError::Internal(format!("the site check could not start: {e}")))?;
        Ok(Self {
            http,
            limits: limits.clone(),
            deadline: Instant::now() + limits.total_time,
            bytes_read: 0,
        })
    }

    pub fn out_of_time(&self) -> bool {
        Instant::now() >= self.deadline
    }

    pub fn out_of_bytes(&self) -> bool {
        self.bytes_read >= self.limits.max_total_bytes
    }

    /// GETs `url`, following at most `max_redirects` redirects, each on `site`'s host.
    pub async fn get(&mut self, url: &Url, site: &Url) -> Fetched {
        let mut current = url.clone();
        for _ in 0..=self.limits.max_redirects {
            if !same_site(site, &current) {
                return Fetched::Refused(format!(
                    "not fetched: {} is another site",
                    current.host_str().unwrap_or("?")
                ));
            }
            if self.out_of_time() {
                return Fetched::Refused("not fetched: the scan's time limit was reached".into());
            }
            if self.out_of_bytes() {
                return Fetched::Refused("not fetched: the scan's size limit was reached".into());
            }
            let sent = timeout_at(self.deadline, self.http.get(current.clone()).send()).await;
            let response = match sent {
                Err(_) => return Fetched::Refused("the scan's time limit was reached".into()),
                Ok(Err(e)) => return Fetched::Refused(unreachable(&e)),
                Ok(Ok(response)) => response,
            };
            let status = response.status();
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|location| current.join(location).ok());
                match next {
                    Some(next) => {
                        current = next;
                        continue;
                    }
                    None => {
                        return Fetched::Refused(format!(
                            "answered {status} without a usable address"
                        ))
                    }
                }
            }
            if !status.is_success() {
                return Fetched::Refused(format!("answered {status}"));
            }
            return self.read_body(response, current).await;
        }
        Fetched::Refused(format!(
            "not fetched: more than {} redirects",
            self.limits.max_redirects
        ))
    }

    /// Reads at most the per-resource and the remaining total byte budget, then stops.
    async fn read_body(&mut self, mut response: reqwest::Response, final_url: Url) -> Fetched {
        let budget = self
            .limits
            .max_resource_bytes
            .min(self.limits.max_total_bytes.saturating_sub(self.bytes_read));
        let mut body: Vec<u8> = Vec::new();
        let mut truncated = false;
        loop {
            match timeout_at(self.deadline, response.chunk()).await {
                Err(_) => {
                    truncated = true;
                    break;
                }
                Ok(Err(e)) => return Fetched::Refused(unreachable(&e)),
                Ok(Ok(None)) => break,
                Ok(Ok(Some(chunk))) => {
                    let room = budget - body.len();
                    if chunk.len() > room {
                        body.extend_from_slice(&chunk[..room]);
                        truncated = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
            }
        }
        self.bytes_read += body.len();
        Fetched::Body {
            final_url,
            text: String::from_utf8_lossy(&body).into_owned(),
            truncated,
        }
    }
}

fn unreachable(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "did not answer in time".to_owned()
    } else if error.is_connect() {
        "could not be reached".to_owned()
    } else {
        "could not be read".to_owned()
    }
}
