//! `/assistant`: the org's saved assistants.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::auth::PrivateAuth;
use crate::content::personas::persona_for_name;
use crate::errors::{json, ApiError};
use crate::extract::{IdPath, JsonBody, QueryParams, RANGE_PARAMS};
use crate::state::AppState;
use crate::validate::object;
use crate::world::assistant::{validate_assistant, Assistant};

fn assistant_body(body: &Value) -> Result<Map<String, Value>, ApiError> {
    let obj = object(body, "body")?;
    let errors = validate_assistant(obj, "");
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    Ok(obj
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

fn assistant_not_found() -> ApiError {
    ApiError::not_found("Assistant not found")
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let mut errors = Vec::new();
    let mut allowed = vec!["limit"];
    allowed.extend_from_slice(RANGE_PARAMS);
    q.check(&allowed, &mut errors);
    let limit = q.limit(&mut errors);
    let created = q.range("createdAt", &mut errors);
    let updated = q.range("updatedAt", &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let world = state.read();
    let org = world.org(p.org_id).ok_or_else(ApiError::unauthorized)?;
    let mut list: Vec<&Assistant> = org
        .assistants
        .iter()
        .filter(|a| created.contains(a.created_ms) && updated.contains(a.updated_ms))
        .collect();
    list.sort_by_key(|a| std::cmp::Reverse((a.created_ms, a.id)));
    let out: Vec<Value> = list
        .into_iter()
        .take(limit)
        .map(Assistant::to_json)
        .collect();
    Ok(json(StatusCode::OK, &out))
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let fields = assistant_body(&body)?;
    let mut world = state.write();
    let now = state.now_ms();
    let assistant = Assistant {
        id: world.new_id(),
        org_id: p.org_id,
        created_ms: now,
        updated_ms: now,
        persona: persona_for_name(fields.get("name").and_then(Value::as_str)),
        fields,
    };
    let out = assistant.to_json();
    if !world.add_assistant(assistant) {
        return Err(ApiError::unauthorized());
    }
    Ok(json(StatusCode::CREATED, &out))
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let world = state.read();
    let a = world
        .org(p.org_id)
        .and_then(|o| o.assistant(id))
        .ok_or_else(assistant_not_found)?;
    Ok(json(StatusCode::OK, &a.to_json()))
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let changes = assistant_body(&body)?;
    let mut world = state.write();
    let a = world
        .org_mut(p.org_id)
        .and_then(|o| o.assistants.iter_mut().find(|a| a.id == id))
        .ok_or_else(assistant_not_found)?;
    a.fields.extend(changes);
    a.updated_ms = state.now_ms().max(a.updated_ms + 1);
    Ok(json(StatusCode::OK, &a.to_json()))
}

pub async fn delete(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let mut world = state.write();
    let org = world.org_mut(p.org_id).ok_or_else(assistant_not_found)?;
    let pos = org
        .assistants
        .iter()
        .position(|a| a.id == id)
        .ok_or_else(assistant_not_found)?;
    let a = org.assistants.remove(pos);
    Ok(json(StatusCode::OK, &a.to_json()))
}
