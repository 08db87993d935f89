//! Last line of defence: a panic in a handler becomes a Vapi-shaped 500
//! instead of a dropped connection. No handler is meant to panic.

use std::panic::AssertUnwindSafe;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;

use crate::errors::ApiError;

pub async fn layer(req: Request, next: Next) -> Response {
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::error!("handler panicked");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
                .into_response()
        }
    }
}
