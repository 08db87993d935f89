//! `POST /analytics`: `AnalyticsQueryDTO` validated in class-validator's words (every problem in
//! one 400), then each query answered from the caller's org (see `crate::analytics`).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::analytics::{
    default_alias, run, Operation, Query, COLUMNS, GROUP_BY, OPERATIONS, SIMULATED_COLUMNS,
    SIMULATED_STEPS, STEPS,
};
use crate::auth::PrivateAuth;
use crate::call_json::CallSnapshot;
use crate::errors::{json, ApiError};
use crate::extract::JsonBody;
use crate::state::AppState;
use crate::time::{parse_iso, to_ms, Millis};
use crate::validate::{object, Fields};

/// Vapi's default range when none is given: the last 7 days.
const DEFAULT_RANGE_MS: Millis = 7 * 24 * 3600 * 1000;
const MAX_NAME_CHARS: usize = 40;

fn one_of(name: &str, allowed: &[&str]) -> String {
    format!(
        "{name} must be one of the following values: {}",
        allowed.join(", ")
    )
}

/// A required enum string: class-validator gives the same message for a missing value.
fn required_enum(
    obj: &Map<String, Value>,
    key: &str,
    prefix: &str,
    allowed: &[&str],
    errors: &mut Vec<String>,
) -> Option<String> {
    match obj.get(key).and_then(Value::as_str) {
        Some(s) if allowed.contains(&s) => Some(s.to_owned()),
        _ => {
            errors.push(one_of(&format!("{prefix}.{key}"), allowed));
            None
        }
    }
}

fn operation(value: &Value, prefix: &str, errors: &mut Vec<String>) -> Option<Operation> {
    let Some(obj) = value.as_object() else {
        errors.push(format!("{prefix} must be an object"));
        return None;
    };
    let mut f = Fields::nested(obj, prefix);
    f.forbid_unknown(&["operation", "column", "alias"]);
    let alias = f.opt_string("alias", Some(MAX_NAME_CHARS));
    errors.extend(f.take_errors());
    let op = required_enum(obj, "operation", prefix, OPERATIONS, errors);
    let column = required_enum(obj, "column", prefix, COLUMNS, errors);
    let (op, column) = (op?, column?);
    if op == "history" {
        errors.push(format!("{prefix}.operation history is not simulated"));
        return None;
    }
    if !SIMULATED_COLUMNS.contains(&column.as_str()) {
        errors.push(format!("{prefix}.column {column} is not simulated"));
        return None;
    }
    if column == "id" && op != "count" {
        errors.push(format!("{prefix}: only count applies to id"));
        return None;
    }
    Some(Operation {
        alias: alias.unwrap_or_else(|| default_alias(&op, &column)),
        operation: op,
        column,
    })
}

fn time(
    obj: &Map<String, Value>,
    key: &str,
    prefix: &str,
    errors: &mut Vec<String>,
) -> Option<Millis> {
    let v = obj.get(key).filter(|v| !v.is_null())?;
    match v.as_str().and_then(parse_iso) {
        Some(t) => Some(to_ms(t)),
        None => {
            errors.push(format!(
                "{prefix}.{key} must be a valid ISO 8601 date string"
            ));
            None
        }
    }
}

fn query(value: &Value, prefix: &str, now: Millis, errors: &mut Vec<String>) -> Option<Query> {
    let Some(obj) = value.as_object() else {
        errors.push(format!("{prefix} must be an object"));
        return None;
    };
    let before = errors.len();
    let mut f = Fields::nested(obj, prefix);
    f.forbid_unknown(&[
        "table",
        "name",
        "timeRange",
        "operations",
        "groupBy",
        "groupByVariableValue",
    ]);
    let group_by = f.opt_string_array("groupBy").unwrap_or_default();
    let range = f.opt_object("timeRange");
    if obj
        .get("groupByVariableValue")
        .is_some_and(|v| !v.is_null())
    {
        f.error(format!("{prefix}.groupByVariableValue is not simulated"));
    }
    errors.extend(f.take_errors());
    let table = required_enum(obj, "table", prefix, &["call", "subscription"], errors);
    if table.as_deref() == Some("subscription") {
        errors.push(format!("{prefix}.table subscription is not simulated"));
    }
    let name = match obj.get("name").and_then(Value::as_str) {
        Some(n) if n.chars().count() <= MAX_NAME_CHARS => Some(n.to_owned()),
        Some(_) => {
            errors.push(format!(
                "{prefix}.name must be shorter than or equal to {MAX_NAME_CHARS} characters"
            ));
            None
        }
        None => {
            errors.push(format!("{prefix}.name must be a string"));
            None
        }
    };
    for g in &group_by {
        if !GROUP_BY.contains(&g.as_str()) {
            errors.push(one_of(&format!("each value in {prefix}.groupBy"), GROUP_BY));
            break;
        }
    }
    let mut operations = Vec::new();
    match obj.get("operations").and_then(Value::as_array) {
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(op) = operation(item, &format!("{prefix}.operations.{i}"), errors) {
                    operations.push(op);
                }
            }
        }
        None => errors.push(format!("{prefix}.operations must be an array")),
    }
    let (mut start, mut end, mut step, mut timezone) = (None, None, None, "UTC".to_owned());
    if let Some(range) = range {
        let p = format!("{prefix}.timeRange");
        let mut f = Fields::nested(range, &p);
        f.forbid_unknown(&["start", "end", "step", "timezone"]);
        step = f.opt_enum("step", STEPS);
        let tz = f.opt_string("timezone", None);
        errors.extend(f.take_errors());
        start = time(range, "start", &p, errors);
        end = time(range, "end", &p, errors);
        if let Some(s) = &step {
            if !SIMULATED_STEPS.contains(&s.as_str()) {
                errors.push(format!("{p}.step {s} is not simulated"));
            }
        }
        if let Some(tz) = tz {
            // Buckets are cut in UTC only; another zone would shift every day's edges.
            if !matches!(tz.as_str(), "UTC" | "Etc/UTC" | "GMT" | "Z") {
                errors.push(format!("{p}.timezone {tz} is not simulated (UTC only)"));
            }
            timezone = tz;
        }
    }
    if errors.len() > before {
        return None;
    }
    let end = end.unwrap_or(now);
    Some(Query {
        name: name?,
        start: start.unwrap_or(end - DEFAULT_RANGE_MS),
        end,
        step,
        timezone,
        group_by,
        operations,
    })
}

pub async fn query_calls(
    State(state): State<Arc<AppState>>,
    PrivateAuth(p): PrivateAuth,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let obj = object(&body, "body")?;
    let mut errors = Vec::new();
    let unknown: Vec<String> = obj
        .keys()
        .filter(|k| k.as_str() != "queries")
        .map(|k| format!("property {k} should not exist"))
        .collect();
    errors.extend(unknown);
    let now = state.now_ms();
    let mut queries = Vec::new();
    match obj.get("queries").and_then(Value::as_array) {
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(q) = query(item, &format!("queries.{i}"), now, &mut errors) {
                    queries.push(q);
                }
            }
        }
        None => errors.push("queries must be an array".to_owned()),
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    // Copy the compact records out under the lock; costs are generated without it.
    let from = queries.iter().map(|q| q.start).min().unwrap_or(now);
    let to = queries.iter().map(|q| q.end).max().unwrap_or(now);
    let calls: Vec<CallSnapshot> = {
        let world = state.read();
        let kept = world
            .retention_cutoff(state.now_ms())
            .unwrap_or(Millis::MIN);
        world
            .org(p.org_id)
            .map(|org| {
                org.calls
                    .iter()
                    .filter(|c| c.created_ms >= from.max(kept) && c.created_ms <= to)
                    .map(|c| CallSnapshot::new(org, c))
                    .collect()
            })
            .unwrap_or_default()
    };
    let results = tokio::task::spawn_blocking(move || {
        queries
            .iter()
            .map(|q| run(q, &calls))
            .collect::<Vec<Value>>()
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(json(StatusCode::CREATED, &results))
}
