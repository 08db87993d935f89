//! Extractors whose rejections are Vapi-shaped JSON errors instead of axum's
//! plain-text defaults.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::response::IntoResponse;
use serde_json::Value;
use uuid::Uuid;

use crate::errors::ApiError;
use crate::state::AppState;
use crate::world::call::TimeRange;

/// A JSON body. An empty body counts as `{}` (as NestJS's body parser
/// leaves it); invalid JSON is a 400.
pub struct JsonBody(pub Value);

impl FromRequest<Arc<AppState>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            let resp = rej.into_response();
            ApiError::new(resp.status(), "Could not read the request body")
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(Value::Object(serde_json::Map::new())));
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(format!("Invalid JSON in request body: {e}")))
    }
}

/// The `{id}` path segment, which must be a UUID.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::bad_uuid())?;
        Uuid::try_parse(&id)
            .map(IdPath)
            .map_err(|_| ApiError::bad_uuid())
    }
}

/// Query parameters, validated by hand so every problem is reported the way
/// class-validator words it.
pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs = parts
            .uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(QueryParams { pairs })
    }
}

impl QueryParams {
    /// Unknown or repeated parameters are errors, like Vapi's whitelisting
    /// ValidationPipe.
    pub fn check(&self, allowed: &[&str], errors: &mut Vec<String>) {
        for (i, (k, _)) in self.pairs.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                errors.push(format!("property {k} should not exist"));
            } else if self.pairs[..i].iter().any(|(p, _)| p == k) {
                errors.push(format!("{k} must be a single value"));
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `limit`: a number from 0 to 1000, default 100. Non-integers are refused.
    pub fn limit(&self, errors: &mut Vec<String>) -> usize {
        let Some(raw) = self.get("limit") else {
            return 100;
        };
        let Ok(n) = raw.trim().parse::<f64>() else {
            errors.push("limit must be a number conforming to the specified constraints".into());
            return 0;
        };
        if !n.is_finite() {
            errors.push("limit must be a number conforming to the specified constraints".into());
        } else if n.fract() != 0.0 {
            errors.push("limit must be an integer number".into());
        } else if n < 0.0 {
            errors.push("limit must not be less than 0".into());
        } else if n > 1000.0 {
            errors.push("limit must not be greater than 1000".into());
        } else {
            return n as usize;
        }
        0
    }

    /// `{field}Gt|Lt|Ge|Le` as ISO 8601 date-times.
    pub fn range(&self, field: &str, errors: &mut Vec<String>) -> TimeRange {
        let mut one = |suffix: &str| {
            let name = format!("{field}{suffix}");
            let raw = self.get(&name)?;
            match crate::time::parse_iso(raw) {
                Some(t) => Some(t.timestamp_millis()),
                None => {
                    errors.push(format!("{name} must be a valid ISO 8601 date string"));
                    None
                }
            }
        };
        TimeRange {
            gt: one("Gt"),
            lt: one("Lt"),
            ge: one("Ge"),
            le: one("Le"),
        }
    }
}

pub const RANGE_PARAMS: &[&str] = &[
    "createdAtGt",
    "createdAtLt",
    "createdAtGe",
    "createdAtLe",
    "updatedAtGt",
    "updatedAtLt",
    "updatedAtGe",
    "updatedAtLe",
];
