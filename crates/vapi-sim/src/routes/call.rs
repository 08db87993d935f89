//! `GET /call` (filters, newest first), `GET /call/{id}`, `DELETE /call/{id}`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::auth::PrivateAuth;
use crate::call_json::CallSnapshot;
use crate::errors::{json, json_bytes, ApiError};
use crate::extract::{IdPath, QueryParams, RANGE_PARAMS};
use crate::state::AppState;
use crate::world::call::{select, CallQuery};

fn call_not_found() -> ApiError {
    ApiError::not_found("Call not found")
}

pub fn parse_query(q: &QueryParams) -> Result<CallQuery, ApiError> {
    let mut errors = Vec::new();
    let mut allowed = vec!["id", "assistantId", "phoneNumberId", "limit"];
    allowed.extend_from_slice(RANGE_PARAMS);
    q.check(&allowed, &mut errors);
    let query = CallQuery {
        id: q.get("id").map(str::to_owned),
        assistant_id: q.get("assistantId").map(str::to_owned),
        phone_number_id: q.get("phoneNumberId").map(str::to_owned),
        limit: q.limit(&mut errors),
        created: q.range("createdAt", &mut errors),
        updated: q.range("updatedAt", &mut errors),
    };
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The org's calls matching `query`, newest first, ready to serialize.
pub fn list_snapshots(
    state: &AppState,
    org_id: uuid::Uuid,
    query: &CallQuery,
) -> Vec<CallSnapshot> {
    let world = state.read();
    let Some(org) = world.org(org_id) else {
        return Vec::new();
    };
    let phone = query.phone_number_id.as_deref().map(|p| org.phone_index(p));
    let mut query = query.clone();
    if let Some(cutoff) = world.retention_cutoff(state.now_ms()) {
        query.created.ge = Some(query.created.ge.map_or(cutoff, |ge| ge.max(cutoff)));
    }
    select(&org.calls, &query, phone)
        .into_iter()
        .map(|c| CallSnapshot::new(org, c))
        .collect()
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let query = parse_query(&q)?;
    // Copy the compact records out under the lock, then generate and
    // serialize the full JSON without holding it.
    let snaps = list_snapshots(&state, p.org_id, &query);
    let bytes = tokio::task::spawn_blocking(move || serde_json::to_vec(&snaps))
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(json_bytes(StatusCode::OK, bytes))
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let snap = {
        let world = state.read();
        let (org, rec) = world
            .find_kept_call(p.org_id, id, state.now_ms())
            .ok_or_else(call_not_found)?;
        CallSnapshot::new(org, rec)
    };
    Ok(json(StatusCode::OK, &snap))
}

pub async fn delete(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let snap = {
        let mut world = state.write();
        let snap = {
            let (org, rec) = world
                .find_kept_call(p.org_id, id, state.now_ms())
                .ok_or_else(call_not_found)?;
            CallSnapshot::new(org, rec)
        };
        world.remove_call(p.org_id, id);
        snap
    };
    Ok(json(StatusCode::OK, &snap))
}
