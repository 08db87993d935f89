//! `GET /call/{id}/mono-recording|stereo-recording|customer-recording|assistant-recording` and
//! `GET /call/{id}/call-logs`: a 302 to a short-lived signed URL on the simulator's own storage
//! path, `GET /storage/{org}/{call}/{file}`, which serves a real WAV file as long as the call, or
//! the call's logs as gzipped JSON lines.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use uuid::Uuid;

use crate::auth::PrivateAuth;
use crate::content::audio::{self, Mix};
use crate::content::call_logs;
use crate::content::transcript::{conversation, Role};
use crate::errors::ApiError;
use crate::extract::{IdPath, QueryParams};
use crate::signed_url::{self, Refusal};
use crate::state::AppState;
use crate::world::call::{CallRecord, CallShape, CallStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    Mono,
    Stereo,
    Customer,
    Assistant,
    Logs,
}

impl Artifact {
    const ALL: [Artifact; 5] = [
        Artifact::Mono,
        Artifact::Stereo,
        Artifact::Customer,
        Artifact::Assistant,
        Artifact::Logs,
    ];

    fn file(self) -> &'static str {
        match self {
            Artifact::Mono => "mono.wav",
            Artifact::Stereo => "stereo.wav",
            Artifact::Customer => "customer.wav",
            Artifact::Assistant => "assistant.wav",
            Artifact::Logs => "logs.jsonl.gz",
        }
    }

    fn from_file(name: &str) -> Option<Artifact> {
        Artifact::ALL.into_iter().find(|a| a.file() == name)
    }

    fn mix(self) -> Option<Mix> {
        match self {
            Artifact::Mono => Some(Mix::Mono),
            Artifact::Stereo => Some(Mix::Stereo),
            Artifact::Customer => Some(Mix::Only(Role::User)),
            Artifact::Assistant => Some(Mix::Only(Role::Bot)),
            Artifact::Logs => None,
        }
    }

    fn missing(self) -> ApiError {
        match self {
            Artifact::Logs => ApiError::not_found("Call logs not found"),
            _ => ApiError::not_found("Recording not found"),
        }
    }
}

/// The route of one artifact, e.g. `/call/{id}/stereo-recording`.
pub fn route(artifact: Artifact) -> MethodRouter<Arc<AppState>> {
    get(
        move |state: State<Arc<AppState>>, auth: PrivateAuth, id: IdPath, headers: HeaderMap| {
            redirect(state, auth, id, headers, artifact)
        },
    )
}

fn call_started(rec: &CallRecord) -> bool {
    rec.status == CallStatus::Ended && *rec.shape() != CallShape::StartFailed
}

async fn redirect(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    IdPath(id): IdPath,
    headers: HeaderMap,
    artifact: Artifact,
) -> Result<Response, ApiError> {
    let now = state.now_ms();
    let (org_id, available) = {
        let world = state.read();
        let (org, rec) = world
            .find_kept_call(p.org_id, id, now)
            .ok_or_else(|| ApiError::not_found("Call not found"))?;
        // Logs exist for every call that ended; a recording only where someone spoke, as
        // the call's `recordingUrl` says.
        let available = match artifact {
            Artifact::Logs => rec.status == CallStatus::Ended,
            _ => call_started(rec) && !conversation(rec, &org.business).turns.is_empty(),
        };
        (org.id, available)
    };
    if !available {
        return Err(artifact.missing());
    }
    let path = format!("/storage/{org_id}/{id}/{}", artifact.file());
    let query = signed_url::sign(&state.url_secret, &path, now);
    let location = match headers.get(HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}{path}?{query}"),
        None => format!("{path}?{query}"),
    };
    let mut resp = StatusCode::FOUND.into_response();
    let value = HeaderValue::from_str(&location)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    resp.headers_mut().insert(LOCATION, value);
    Ok(resp)
}

/// The signed storage URL: no key, the signature is the authorization.
pub async fn storage(
    State(state): State<Arc<AppState>>,
    Path((org, call, file)): Path<(String, String, String)>,
    uri: Uri,
    q: QueryParams,
) -> Result<Response, ApiError> {
    let now = state.now_ms();
    signed_url::verify(
        &state.url_secret,
        uri.path(),
        q.get("Expires"),
        q.get("Signature"),
        now,
    )
    .map_err(|r| match r {
        Refusal::Expired => ApiError::forbidden("Request has expired"),
        Refusal::BadSignature => ApiError::forbidden("The request signature does not match"),
    })?;
    let not_found = || ApiError::not_found("The specified key does not exist.");
    let artifact = Artifact::from_file(&file).ok_or_else(not_found)?;
    let (org, call) = match (Uuid::try_parse(&org), Uuid::try_parse(&call)) {
        (Ok(o), Ok(c)) => (o, c),
        _ => return Err(not_found()),
    };
    let (rec, business) = {
        let world = state.read();
        let (org, rec) = world.find_kept_call(org, call, now).ok_or_else(not_found)?;
        (rec.clone(), org.business.clone())
    };
    let bytes = tokio::task::spawn_blocking(move || {
        let conv = conversation(&rec, &business);
        match artifact.mix() {
            Some(mix) => Ok(audio::wav(&conv.turns, rec.duration_ms, mix)),
            None => call_logs::gzip(&call_logs::lines(&rec, &conv, call_started(&rec))),
        }
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let kind = match artifact {
        Artifact::Logs => "application/gzip",
        _ => "audio/wav",
    };
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    resp.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    Ok(resp)
}
