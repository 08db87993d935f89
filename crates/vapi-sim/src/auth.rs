//! `Authorization: Bearer <x>`, where x is a private key, a public key, or
//! an HS256 JWT signed with one of the org's private keys.
//!
//! Handlers take [`PrivateAuth`] (everything except `/call/web`) or
//! [`AnyAuth`] (`/call/web`). A bad key, and a public key anywhere but
//! `/call/web`, is 401 with Vapi's "Invalid Key" message.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::jwt;
use crate::state::AppState;
use crate::world::token::{Restrictions, Tag};

#[derive(Debug, Clone)]
pub enum Access {
    Private,
    /// Restrictions of the public key or public JWT (`None` = unrestricted).
    Public(Option<Restrictions>),
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub org_id: Uuid,
    pub account: u32,
    pub access: Access,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

pub fn authenticate(state: &AppState, parts: &Parts) -> Result<Principal, ApiError> {
    let key = bearer(parts)
        .filter(|k| !k.is_empty())
        .ok_or_else(ApiError::unauthorized)?;
    let world = state.read();
    if let Some((org, token)) = world.lookup_key(key) {
        let access = match token.tag {
            Tag::Private => Access::Private,
            Tag::Public => Access::Public(token.restrictions.clone()),
        };
        return Ok(Principal {
            org_id: org.id,
            account: org.account,
            access,
        });
    }
    if !jwt::looks_like_jwt(key) {
        return Err(ApiError::unauthorized());
    }
    let claims = jwt::parse(key).map_err(|_| ApiError::unauthorized())?;
    let org = world
        .org_by_str(&claims.org_id)
        .ok_or_else(ApiError::unauthorized)?;
    let secrets = org
        .tokens
        .iter()
        .filter(|t| t.tag == Tag::Private)
        .map(|t| t.value.as_str());
    claims
        .verify(secrets, state.now_ms().div_euclid(1000))
        .map_err(|_| ApiError::unauthorized())?;
    let access = match claims.tag {
        Tag::Private => Access::Private,
        Tag::Public => Access::Public(claims.restrictions),
    };
    Ok(Principal {
        org_id: org.id,
        account: org.account,
        access,
    })
}

/// A private key or private JWT.
pub struct PrivateAuth(pub Principal);

/// Any valid key: private, public, or JWT of either tag.
pub struct AnyAuth(pub Principal);

impl FromRequestParts<Arc<AppState>> for PrivateAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let p = authenticate(state, parts)?;
        match p.access {
            Access::Private => Ok(PrivateAuth(p)),
            Access::Public(_) => Err(ApiError::unauthorized()),
        }
    }
}

impl FromRequestParts<Arc<AppState>> for AnyAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, parts).map(AnyAuth)
    }
}
