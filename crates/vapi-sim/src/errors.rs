//! Errors as Vapi's NestJS API writes them:
//! `{"message": string | string[], "error": "<reason phrase>", "statusCode": N}`.
//! Every error the simulator returns goes through [`ApiError`], including
//! unknown routes, bad JSON and rejected extractors, so clients never see
//! axum's plain-text defaults.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The message Vapi returns for a missing, unknown or wrong-scope key.
pub const INVALID_KEY: &str =
    "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Message {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: Message,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: Message::One(message.into()),
        }
    }

    /// A 400 with class-validator style messages (an array, as NestJS sends).
    pub fn validation(messages: Vec<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: Message::Many(messages),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, INVALID_KEY)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// NestJS's ParseUUIDPipe message for a malformed `{id}` path segment.
    pub fn bad_uuid() -> Self {
        Self::bad_request("Validation failed (uuid is expected)")
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    message: &'a Message,
    error: &'a str,
    status_code: u16,
}

/// Serializes the NestJS error body for a status and message.
pub fn error_body(status: StatusCode, message: &Message) -> Vec<u8> {
    let body = Body {
        message,
        error: status.canonical_reason().unwrap_or("Error"),
        status_code: status.as_u16(),
    };
    // Serializing strings and a number cannot fail; keep a fallback anyway.
    serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = error_body(self.status, &self.message);
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        resp
    }
}

/// A JSON success response from already-serialized bytes.
pub fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut resp = (status, bytes).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// Serializes `value` straight into a response body.
pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => json_bytes(status, bytes),
        Err(e) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("serialization failed: {e}"),
        )
        .into_response(),
    }
}
