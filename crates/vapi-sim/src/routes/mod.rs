//! The HTTP surface: Vapi's paths, plus NestJS-style 404s for the rest.

mod analytics;
mod assistant;
mod call;
mod org;
mod recording;
mod token;
mod web_call;

pub use call::list_snapshots;

use std::sync::Arc;

use axum::http::{Method, Uri};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

use crate::errors::ApiError;
use crate::state::AppState;
use crate::{clock, cors, faults, panic_guard};
use recording::Artifact;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/org", get(org::list).post(org::create))
        .route(
            "/org/{id}",
            get(org::get).patch(org::update).delete(org::delete),
        )
        .route("/token", get(token::list).post(token::create))
        .route(
            "/token/{id}",
            get(token::get).patch(token::update).delete(token::delete),
        )
        .route("/assistant", get(assistant::list).post(assistant::create))
        .route(
            "/assistant/{id}",
            get(assistant::get)
                .patch(assistant::update)
                .delete(assistant::delete),
        )
        .route("/analytics", post(analytics::query_calls))
        .route("/call", get(call::list))
        .route("/call/web", post(web_call::create))
        .route("/call/{id}", get(call::get).delete(call::delete))
        .route(
            "/call/{id}/mono-recording",
            recording::route(Artifact::Mono),
        )
        .route(
            "/call/{id}/stereo-recording",
            recording::route(Artifact::Stereo),
        )
        .route(
            "/call/{id}/customer-recording",
            recording::route(Artifact::Customer),
        )
        .route(
            "/call/{id}/assistant-recording",
            recording::route(Artifact::Assistant),
        )
        .route("/call/{id}/call-logs", recording::route(Artifact::Logs))
        .route("/storage/{org}/{call}/{file}", get(recording::storage))
        .fallback(not_found)
        // NestJS answers an unrouted method with the same 404 as an unknown
        // path ("Cannot PUT /call"), so the simulator does too.
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn(panic_guard::layer))
        .layer(middleware::from_fn_with_state(state.clone(), faults::layer))
        .layer(middleware::from_fn(cors::layer))
        .layer(middleware::from_fn_with_state(state.clone(), clock::layer))
        .with_state(state)
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("Cannot {method} {}", uri.path()))
}
