//! Injected faults: 5xx answers, per-key rate limiting (token bucket, 429
//! with `Retry-After`), slow answers and truncated bodies. CORS preflights
//! never get here (the CORS layer answers them first).
//!
//! Injected 5xx and 429 answers are decided before the handler runs, so a
//! refused request changes nothing. The dice are a seeded RNG, rolled in a
//! fixed order per request, so a run with the same requests replays.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::config::Faults;
use crate::errors::ApiError;
use crate::state::AppState;

struct Bucket {
    tokens: f64,
    last: Instant,
}

pub struct FaultState {
    pub config: Faults,
    rng: ChaCha8Rng,
    buckets: HashMap<String, Bucket>,
    injected: InjectedFaults,
}

/// What the dice and the buckets did since the faults were last set: tests check that faults
/// really happened without leaning on request counts, which depend on the machine's speed
/// (fewer requests a second meet fewer 429s).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct InjectedFaults {
    pub rate_limited: u64,
    pub failed: u64,
    pub truncated: u64,
}

#[derive(Debug, Default)]
struct Decision {
    retry_after_s: Option<u64>,
    fail: Option<StatusCode>,
    slow: Option<Duration>,
    truncate: bool,
}

impl FaultState {
    pub fn new(config: Faults) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            buckets: HashMap::new(),
            injected: InjectedFaults::default(),
        }
    }

    pub fn injected(&self) -> InjectedFaults {
        self.injected
    }

    /// New faults take effect at once; dice and buckets start afresh.
    pub fn set(&mut self, config: Faults) {
        *self = Self::new(config);
    }

    fn roll(&mut self, p: f64) -> bool {
        let x: f64 = self.rng.random();
        x < p
    }

    fn take_token(&mut self, key: &str, now: Instant) -> Option<u64> {
        let rate = f64::from(self.config.rate_limit?);
        let bucket = self.buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: rate,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            None
        } else {
            let wait = (1.0 - bucket.tokens) / rate;
            Some((wait.ceil() as u64).max(1))
        }
    }

    fn decide(&mut self, key: &str) -> Decision {
        let fail = self.roll(self.config.fail_rate);
        let status = [
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::BAD_GATEWAY,
            StatusCode::SERVICE_UNAVAILABLE,
        ][self.rng.random_range(0..3)];
        let slow = self.roll(self.config.slow_rate);
        let truncate = self.roll(self.config.truncate_rate);
        Decision {
            retry_after_s: self.take_token(key, Instant::now()),
            fail: fail.then_some(status),
            slow: (slow && self.config.slow_ms > 0)
                .then(|| Duration::from_millis(self.config.slow_ms)),
            truncate,
        }
    }
}

pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    state.requests.fetch_add(1, Ordering::Relaxed);
    let key = req
        .headers()
        .get(AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let d = state.faults().decide(&key);
    if let Some(secs) = d.retry_after_s {
        state.faults().injected.rate_limited += 1;
        let mut resp =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
        return resp;
    }
    if let Some(status) = d.fail {
        state.faults().injected.failed += 1;
        let reason = status.canonical_reason().unwrap_or("Server Error");
        return ApiError::new(status, format!("{reason} (injected by vapi-sim)")).into_response();
    }
    if let Some(delay) = d.slow {
        tokio::time::sleep(delay).await;
    }
    let resp = next.run(req).await;
    if d.truncate && resp.status().is_success() {
        state.faults().injected.truncated += 1;
        return truncate(resp).await;
    }
    resp
}

/// Cuts a successful body roughly in half, keeping a consistent
/// Content-Length so the HTTP exchange is clean and only the JSON is broken.
async fn truncate(resp: Response) -> Response {
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "body read failed")
            .into_response();
    };
    let keep = bytes.len() / 2;
    let cut = bytes.slice(..keep);
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(cut.len()));
    Response::from_parts(parts, Body::from(cut))
}
