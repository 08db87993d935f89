//! CORS, so a real browser page (the official @vapi-ai/web SDK) can call
//! `/call/web` and read refusals. Preflights are answered on every path,
//! before auth and faults, echoing the Origin; whether an origin may use a
//! key is decided by the key's restrictions (a 403), not by CORS.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ORIGIN,
    VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

const METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

fn allow_origin(headers: &mut HeaderMap, origin: Option<HeaderValue>) {
    headers.insert(
        ACCESS_CONTROL_ALLOW_ORIGIN,
        origin.unwrap_or_else(|| HeaderValue::from_static("*")),
    );
    headers.append(VARY, HeaderValue::from_static("Origin"));
}

pub async fn layer(req: Request, next: Next) -> Response {
    let origin = req.headers().get(ORIGIN).cloned();
    if req.method() == Method::OPTIONS {
        let asked = req
            .headers()
            .get(ACCESS_CONTROL_REQUEST_HEADERS)
            .and_then(|h| h.to_str().ok())
            .map(str::trim)
            .filter(|h| !h.is_empty());
        let allow_headers = match asked {
            Some(h) => format!("authorization, content-type, {h}"),
            None => "authorization, content-type".to_owned(),
        };
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NO_CONTENT;
        let h = resp.headers_mut();
        allow_origin(h, origin);
        h.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(METHODS),
        );
        h.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_str(&allow_headers)
                .unwrap_or_else(|_| HeaderValue::from_static("authorization, content-type")),
        );
        h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        return resp;
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    allow_origin(h, origin);
    h.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    resp
}
