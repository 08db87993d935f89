//! `/token`: the org's API keys. Values are included in answers, as Vapi's
//! dashboard API does. Deleting a key makes it stop authenticating at once.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use crate::auth::PrivateAuth;
use crate::errors::{json, ApiError};
use crate::extract::{IdPath, JsonBody, QueryParams};
use crate::state::AppState;
use crate::validate::{object, Fields};
use crate::world::token::{Restrictions, Tag, Token};

/// A validated CreateTokenDTO / UpdateTokenDTO. Given restrictions replace
/// the stored ones whole; `null` is ignored, as `@IsOptional()` does.
struct TokenBody {
    tag: Option<Tag>,
    name: Option<String>,
    restrictions: Option<Restrictions>,
}

fn token_body(body: &Value, require_tag: bool) -> Result<TokenBody, ApiError> {
    let obj = object(body, "body")?;
    let mut f = Fields::new(obj);
    f.forbid_unknown(&["tag", "name", "restrictions"]);
    let tag = f.opt_enum("tag", &["private", "public"]);
    if require_tag && tag.is_none() && obj.get("tag").is_none_or(Value::is_null) {
        f.error("tag must be one of the following values: private, public".into());
    }
    let name = f.opt_string("name", Some(40));
    let restrictions = match f.opt_object("restrictions") {
        Some(r) => match Restrictions::from_json(r, "restrictions") {
            Ok(r) => Some(r),
            Err(errors) => {
                for e in errors {
                    f.error(e);
                }
                None
            }
        },
        None => None,
    };
    f.finish()?;
    Ok(TokenBody {
        tag: tag.as_deref().and_then(Tag::parse),
        name,
        restrictions,
    })
}

fn token_not_found() -> ApiError {
    ApiError::not_found("Token not found")
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let mut errors = Vec::new();
    q.check(&["limit"], &mut errors);
    let limit = q.limit(&mut errors);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let world = state.read();
    let org = world.org(p.org_id).ok_or_else(ApiError::unauthorized)?;
    let mut tokens: Vec<&Token> = org.tokens.iter().collect();
    tokens.sort_by_key(|t| std::cmp::Reverse((t.created_ms, t.id)));
    let out: Vec<_> = tokens.into_iter().take(limit).map(Token::to_json).collect();
    Ok(json(StatusCode::OK, &out))
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let b = token_body(&body, true)?;
    let mut world = state.write();
    let now = state.now_ms();
    let token = Token {
        id: world.new_id(),
        org_id: p.org_id,
        tag: b.tag.unwrap_or(Tag::Private),
        name: b.name,
        value: world.new_key_value(),
        restrictions: b.restrictions,
        created_ms: now,
        updated_ms: now,
    };
    let out = json(StatusCode::CREATED, &token.to_json());
    if !world.add_token(token) {
        return Err(ApiError::unauthorized());
    }
    Ok(out)
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let world = state.read();
    let token = world
        .org(p.org_id)
        .and_then(|o| o.token(id))
        .ok_or_else(token_not_found)?;
    Ok(json(StatusCode::OK, &token.to_json()))
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let b = token_body(&body, false)?;
    let mut world = state.write();
    let token = world
        .org_mut(p.org_id)
        .and_then(|o| o.tokens.iter_mut().find(|t| t.id == id))
        .ok_or_else(token_not_found)?;
    if let Some(tag) = b.tag {
        token.tag = tag;
    }
    if let Some(name) = b.name {
        token.name = Some(name);
    }
    if let Some(r) = b.restrictions {
        token.restrictions = Some(r);
    }
    token.updated_ms = state.now_ms().max(token.updated_ms + 1);
    Ok(json(StatusCode::OK, &token.to_json()))
}

pub async fn delete(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let mut world = state.write();
    let token = world
        .remove_token(p.org_id, id)
        .ok_or_else(token_not_found)?;
    Ok(json(StatusCode::OK, &token.to_json()))
}
