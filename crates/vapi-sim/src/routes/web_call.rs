//! `POST /call/web`: the one endpoint a public key may use. Restrictions of
//! the public key (or public JWT) are enforced here; refusals are 403.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::ORIGIN;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rand::Rng;
use serde_json::Value;

use crate::auth::{Access, AnyAuth};
use crate::call_json::CallSnapshot;
use crate::content::personas::persona_for_name;
use crate::errors::{json, ApiError};
use crate::extract::JsonBody;
use crate::state::AppState;
use crate::validate::{object, Fields};
use crate::world::assistant::validate_assistant;
use crate::world::call::{CallKind, CallRecord, CallStatus, WebCallExtra};
use crate::world::token::WebCallTarget;

const WEB_CALL_PROPS: &[&str] = &[
    "assistantId",
    "assistant",
    "assistantOverrides",
    "squadId",
    "squad",
    "squadOverrides",
    "workflowId",
    "workflow",
    "workflowOverrides",
    "metadata",
    "name",
    "roomDeleteOnUserLeaveEnabled",
];

pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    AnyAuth(p): AnyAuth,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let obj = object(&body, "body")?;
    let mut f = Fields::new(obj);
    f.forbid_unknown(WEB_CALL_PROPS);
    let assistant_id = f.opt_string("assistantId", None);
    let transient = f.opt_object("assistant");
    let overrides = f.opt_object("assistantOverrides");
    let metadata = f.opt_object("metadata");
    let name = f.opt_string("name", Some(40));
    if let Some(a) = transient {
        for e in validate_assistant(a, "assistant") {
            f.error(e);
        }
    }
    f.finish()?;
    if ["squadId", "squad", "workflowId", "workflow"]
        .iter()
        .any(|k| obj.get(*k).is_some_and(|v| !v.is_null()))
    {
        return Err(ApiError::bad_request(
            "Squads and workflows are not supported by this simulator; use assistantId or assistant.",
        ));
    }
    let target = match (&assistant_id, transient) {
        (Some(id), None) => WebCallTarget::AssistantId(id),
        (None, Some(_)) => WebCallTarget::Transient,
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "Only one of `assistantId` or `assistant` may be given.",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "Couldn't Get Assistant. Need Either `assistant`, `assistantId`, `squad`, `squadId`, `workflow`, or `workflowId`.",
            ))
        }
    };
    if let Access::Public(Some(restrictions)) = &p.access {
        let origin = headers.get(ORIGIN).and_then(|o| o.to_str().ok());
        restrictions.check(origin, target)?;
    }

    let mut world = state.write();
    let (assistant_uuid, persona) = match &assistant_id {
        Some(id) => {
            let found = uuid::Uuid::try_parse(id)
                .ok()
                .and_then(|u| world.org(p.org_id).and_then(|o| o.assistant(u)))
                .map(|a| (a.id, a.persona));
            match found {
                Some((id, persona)) => (Some(id), persona),
                None => {
                    return Err(ApiError::bad_request(format!(
                        "Couldn't Get Assistant. `assistantId` {id} Does Not Exist."
                    )))
                }
            }
        }
        None => (
            None,
            persona_for_name(
                transient
                    .and_then(|a| a.get("name"))
                    .and_then(Value::as_str),
            ),
        ),
    };
    let now = state.now_ms();
    let rec = CallRecord {
        id: world.new_id(),
        created_ms: now,
        updated_ms: now,
        start_delay_ms: 0,
        duration_ms: 0,
        kind: CallKind::Web,
        status: CallStatus::Queued,
        ended_reason: 0,
        assistant_id: assistant_uuid,
        persona,
        phone: None,
        customer: 0,
        seed: world.rng.random(),
        settled: false,
        web: Some(Box::new(WebCallExtra {
            assistant: transient.map(|a| Value::Object(a.clone())),
            assistant_overrides: overrides.map(|o| Value::Object(o.clone())),
            metadata: metadata.map(|m| Value::Object(m.clone())),
            name,
            injected: None,
            ..WebCallExtra::default()
        })),
    };
    let id = rec.id;
    world.insert_calls(p.org_id, vec![rec]);
    let (org, rec) = world
        .find_call(p.org_id, id)
        .ok_or_else(|| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "call vanished"))?;
    let snap = CallSnapshot::new(org, rec);
    drop(world);
    Ok(json(StatusCode::CREATED, &snap))
}
