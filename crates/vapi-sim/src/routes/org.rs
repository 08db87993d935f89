//! `/org`: the orgs of the caller's account (a user owns several orgs).
//! `GET /org` returns an array of them; another account's org is a 404.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::auth::PrivateAuth;
use crate::errors::{json, ApiError};
use crate::extract::{IdPath, JsonBody};
use crate::state::AppState;
use crate::validate::{object, Fields};
use crate::world::org::Org;
use crate::world::subscription::org_json;
use crate::world::token::{Tag, Token};

const ORG_PROPS: &[&str] = &[
    "name",
    "billingLimit",
    "concurrencyLimit",
    "hipaaEnabled",
    "channel",
    "subscriptionId",
    "server",
    "compliancePlan",
];

/// Validates a CreateOrgDTO / UpdateOrgDTO; returns the given non-null fields.
fn org_body(body: &Value) -> Result<Map<String, Value>, ApiError> {
    let obj = object(body, "body")?;
    let mut f = Fields::new(obj);
    f.forbid_unknown(ORG_PROPS);
    f.opt_string("name", Some(40));
    f.opt_number("billingLimit", 0.0, 1000.0);
    f.opt_number("concurrencyLimit", 1.0, 10.0);
    f.opt_bool("hipaaEnabled");
    f.opt_enum("channel", &["daily", "default", "weekly", "intuit", "hcs"]);
    f.opt_string("subscriptionId", None);
    f.opt_object("server");
    f.opt_object("compliancePlan");
    f.finish()?;
    Ok(obj
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

fn org_not_found() -> ApiError {
    ApiError::not_found("Org not found")
}

pub async fn list(State(state): State<Arc<AppState>>, PrivateAuth(p): PrivateAuth) -> Response {
    let world = state.read();
    let now = state.now_ms();
    let orgs: Vec<Value> = world
        .account_orgs(p.account)
        .map(|o| org_json(&world, o, now))
        .collect();
    json(StatusCode::OK, &orgs)
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut settings = org_body(&body)?;
    let name = settings
        .remove("name")
        .and_then(|v| v.as_str().map(str::to_owned));
    let mut world = state.write();
    let now = state.now_ms();
    let id = world.new_id();
    let token = Token {
        id: world.new_id(),
        org_id: id,
        tag: Tag::Private,
        name: Some("Default private key".into()),
        value: world.new_key_value(),
        restrictions: None,
        created_ms: now,
        updated_ms: now,
    };
    let org = Org {
        id,
        account: p.account,
        business: name.as_deref().unwrap_or("our office").into(),
        name,
        created_ms: now,
        updated_ms: now,
        settings,
        // Like Vapi, the new org's private key is not in the answer: the
        // user reads it in the dashboard (here: `SimHandle::private_keys`).
        tokens: vec![token],
        assistants: Vec::new(),
        phone_numbers: Vec::new(),
        calls: Vec::new(),
    };
    world.add_org(org);
    let out = world
        .org(id)
        .map(|o| org_json(&world, o, now))
        .ok_or_else(org_not_found)?;
    Ok(json(StatusCode::CREATED, &out))
}

pub async fn get(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let world = state.read();
    let org = world
        .org(id)
        .filter(|o| o.account == p.account)
        .ok_or_else(org_not_found)?;
    Ok(json(StatusCode::OK, &org_json(&world, org, state.now_ms())))
}

pub async fn update(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut world = state.write();
    let org = world
        .org_mut(id)
        .filter(|o| o.account == p.account)
        .ok_or_else(org_not_found)?;
    let changes = org_body(&body)?;
    for (k, v) in changes {
        if k == "name" {
            org.name = v.as_str().map(str::to_owned);
        } else {
            org.settings.insert(k, v);
        }
    }
    org.updated_ms = state.now_ms().max(org.updated_ms + 1);
    let org = world.org(id).ok_or_else(org_not_found)?;
    Ok(json(StatusCode::OK, &org_json(&world, org, state.now_ms())))
}

pub async fn delete(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let mut world = state.write();
    if world.org(id).is_none_or(|o| o.account != p.account) {
        return Err(org_not_found());
    }
    let org = world.remove_org(id).ok_or_else(org_not_found)?;
    Ok(json(StatusCode::OK, &org.to_json()))
}
