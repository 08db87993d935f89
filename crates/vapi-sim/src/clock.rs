//! The `Date` header by the simulator's clock: hyper would write this machine's, and a client
//! that corrects for a wrong local clock (as agencydesk's sync does) reads the server's time
//! from it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::DATE;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, TimeZone, Utc};

use crate::state::AppState;
use crate::time::Millis;

pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Ok(date) = HeaderValue::from_str(&http_date(state.now_ms())) {
        res.headers_mut().insert(DATE, date);
    }
    res
}

/// RFC 9110's IMF-fixdate, e.g. `Thu, 03 Dec 2026 19:40:00 GMT`.
fn http_date(ms: Millis) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_imf_fixdate() {
        assert_eq!(
            super::http_date(1_796_326_800_123),
            "Thu, 03 Dec 2026 19:40:00 GMT"
        );
    }
}
