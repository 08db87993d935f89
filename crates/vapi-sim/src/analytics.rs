//! `POST /analytics` over the `call` table, computed from the org's own calls: rows are the calls
//! created inside the time range (both ends included, as SQL's BETWEEN), bucketed by `step` in
//! UTC and by the `groupBy` columns, one aggregate per operation. Aggregates follow SQL: `sum`,
//! `avg`, `min` and `max` skip calls without the value (an unfinished call has no cost), `count`
//! counts the calls that have it, and an empty aggregate is `null` (`count` is 0).

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use serde_json::{Map, Value};

use crate::call_json::CallSnapshot;
use crate::content::costs::{figures, usd, CostFigures};
use crate::content::transcript::conversation;
use crate::time::{format_ms, Millis};
use crate::world::call::CallStatus;

pub const STEPS: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "quarter",
    "year",
    "decade",
    "century",
    "millennium",
];
/// Steps the simulator buckets by; the longer ones are refused as not simulated.
pub const SIMULATED_STEPS: &[&str] = &[
    "second", "minute", "hour", "day", "week", "month", "quarter", "year",
];
pub const OPERATIONS: &[&str] = &["sum", "avg", "count", "min", "max", "history"];
pub const COLUMNS: &[&str] = &[
    "id",
    "cost",
    "costBreakdown.llm",
    "costBreakdown.stt",
    "costBreakdown.tts",
    "costBreakdown.vapi",
    "costBreakdown.transport",
    "costBreakdown.analysisBreakdown.summary",
    "costBreakdown.transcriber",
    "costBreakdown.ttsCharacters",
    "costBreakdown.llmPromptTokens",
    "costBreakdown.llmCompletionTokens",
    "costBreakdown.llmCachedPromptTokens",
    "duration",
    "concurrency",
    "minutesUsed",
];
/// Columns the simulator computes; the others are refused as not simulated.
pub const SIMULATED_COLUMNS: &[&str] = &[
    "id",
    "cost",
    "costBreakdown.llm",
    "costBreakdown.stt",
    "costBreakdown.tts",
    "costBreakdown.vapi",
    "costBreakdown.transport",
    "costBreakdown.ttsCharacters",
    "costBreakdown.llmPromptTokens",
    "costBreakdown.llmCompletionTokens",
    "costBreakdown.llmCachedPromptTokens",
    "duration",
];
pub const GROUP_BY: &[&str] = &[
    "type",
    "assistantId",
    "endedReason",
    "analysis.successEvaluation",
    "status",
];

#[derive(Debug, Clone)]
pub struct Operation {
    pub operation: String,
    pub column: String,
    pub alias: String,
}

#[derive(Debug, Clone)]
pub struct Query {
    pub name: String,
    pub start: Millis,
    pub end: Millis,
    pub step: Option<String>,
    pub timezone: String,
    pub group_by: Vec<String>,
    pub operations: Vec<Operation>,
}

/// `${operation}${Column}`, Vapi's default alias (`sumCost`, `countId`).
pub fn default_alias(operation: &str, column: &str) -> String {
    let mut chars = column.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{operation}{first}{}", chars.as_str())
}

/// One call's values, computed once per query.
struct Row {
    created_ms: Millis,
    groups: Vec<Value>,
    figures: Option<CostFigures>,
    duration_minutes: Option<f64>,
}

fn truncate(ms: Millis, step: Option<&str>) -> Option<Millis> {
    let t = Utc.timestamp_millis_opt(ms).single()?;
    let day = || {
        Utc.with_ymd_and_hms(t.year(), t.month(), t.day(), 0, 0, 0)
            .single()
    };
    let truncated: Option<DateTime<Utc>> = match step {
        None => return None,
        Some("second") => t.with_nanosecond(0),
        Some("minute") => t.with_nanosecond(0).and_then(|t| t.with_second(0)),
        Some("hour") => day().map(|d| d + Duration::hours(i64::from(t.hour()))),
        Some("day") => day(),
        Some("week") => {
            day().map(|d| d - Duration::days(i64::from(t.weekday().num_days_from_monday())))
        }
        Some("month") => Utc
            .with_ymd_and_hms(t.year(), t.month(), 1, 0, 0, 0)
            .single(),
        Some("quarter") => Utc
            .with_ymd_and_hms(t.year(), (t.month() - 1) / 3 * 3 + 1, 1, 0, 0, 0)
            .single(),
        Some(_) => Utc.with_ymd_and_hms(t.year(), 1, 1, 0, 0, 0).single(),
    };
    truncated.map(|t| t.timestamp_millis())
}

fn group_value(snap: &CallSnapshot, column: &str, success: bool) -> Value {
    let rec = &snap.rec;
    let ended = rec.status == CallStatus::Ended;
    match column {
        "type" => Value::from(rec.kind.as_str()),
        "assistantId" => rec
            .assistant_id
            .map_or(Value::Null, |a| Value::from(a.to_string())),
        "endedReason" if ended => Value::from(rec.ended_reason()),
        "status" => Value::from(if ended { "ended" } else { "queued" }),
        "analysis.successEvaluation" if ended => {
            Value::from(if success { "true" } else { "false" })
        }
        _ => Value::Null,
    }
}

fn value_of(row: &Row, column: &str) -> Option<f64> {
    let f = row.figures.as_ref();
    let money = |pick: fn(&CostFigures) -> i64| f.map(|f| pick(f) as f64);
    let count = |pick: fn(&CostFigures) -> u64| f.map(|f| pick(f) as f64);
    match column {
        "id" => Some(1.0),
        // Money is added in micro-dollars and turned into USD once, like Vapi's numeric column.
        "cost" => money(CostFigures::total),
        "costBreakdown.llm" => money(|f| f.llm),
        "costBreakdown.stt" => money(|f| f.stt),
        "costBreakdown.tts" => money(|f| f.tts),
        "costBreakdown.vapi" => money(|f| f.vapi),
        "costBreakdown.transport" => money(|f| f.transport),
        "costBreakdown.ttsCharacters" => count(|f| f.tts_characters),
        "costBreakdown.llmPromptTokens" => count(|f| f.prompt_tokens),
        "costBreakdown.llmCompletionTokens" => count(|f| f.completion_tokens),
        "costBreakdown.llmCachedPromptTokens" => count(|f| f.cached_prompt_tokens),
        "duration" => row.duration_minutes,
        _ => None,
    }
}

fn is_money(column: &str) -> bool {
    column == "cost"
        || matches!(
            column,
            "costBreakdown.llm"
                | "costBreakdown.stt"
                | "costBreakdown.tts"
                | "costBreakdown.vapi"
                | "costBreakdown.transport"
        )
}

fn aggregate(op: &Operation, rows: &[&Row]) -> Value {
    let values: Vec<f64> = rows
        .iter()
        .filter_map(|r| value_of(r, &op.column))
        .collect();
    let out = |v: f64| {
        if is_money(&op.column) {
            // Sums of micro-dollars are exact; only the final division makes a float.
            Value::from(usd(v.round() as i64))
        } else {
            Value::from(v)
        }
    };
    if op.operation == "count" {
        return Value::from(values.len());
    }
    if values.is_empty() {
        return Value::Null;
    }
    match op.operation.as_str() {
        "sum" => out(values.iter().sum()),
        "min" => out(values.iter().copied().fold(f64::INFINITY, f64::min)),
        "max" => out(values.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        _ => {
            let avg = values.iter().sum::<f64>() / values.len() as f64;
            if is_money(&op.column) {
                Value::from(avg / 1_000_000.0)
            } else {
                Value::from(avg)
            }
        }
    }
}

/// A bucket: its start (none without a step) and its group values as JSON text.
type BucketKey = (Option<Millis>, String);

/// Answers one query over the org's calls (`calls` in any order).
pub fn run(query: &Query, calls: &[CallSnapshot]) -> Value {
    let rows: Vec<Row> = calls
        .iter()
        .filter(|s| s.rec.created_ms >= query.start && s.rec.created_ms <= query.end)
        .map(|s| {
            let conv = conversation(&s.rec, &s.business);
            let ended = s.rec.status == CallStatus::Ended;
            Row {
                created_ms: s.rec.created_ms,
                groups: query
                    .group_by
                    .iter()
                    .map(|g| group_value(s, g, conv.success))
                    .collect(),
                figures: figures(&s.rec, &conv),
                duration_minutes: ended.then(|| f64::from(s.rec.duration_ms) / 60_000.0),
            }
        })
        .collect();
    let mut buckets: BTreeMap<BucketKey, (Vec<Value>, Vec<&Row>)> = BTreeMap::new();
    for row in &rows {
        let key = (
            truncate(row.created_ms, query.step.as_deref()),
            Value::Array(row.groups.clone()).to_string(),
        );
        buckets
            .entry(key)
            .or_insert_with(|| (row.groups.clone(), Vec::new()))
            .1
            .push(row);
    }
    let result: Vec<Value> = buckets
        .into_iter()
        .map(|((bucket, _), (groups, rows))| {
            let mut m = Map::new();
            if let Some(b) = bucket {
                m.insert("date".into(), Value::from(format_ms(b)));
            }
            for (name, value) in query.group_by.iter().zip(groups) {
                m.insert(name.clone(), value);
            }
            for op in &query.operations {
                m.insert(op.alias.clone(), aggregate(op, &rows));
            }
            Value::Object(m)
        })
        .collect();
    let mut range = Map::new();
    range.insert("start".into(), Value::from(format_ms(query.start)));
    range.insert("end".into(), Value::from(format_ms(query.end)));
    if let Some(step) = &query.step {
        range.insert("step".into(), Value::from(step.clone()));
    }
    range.insert("timezone".into(), Value::from(query.timezone.clone()));
    serde_json::json!({
        "name": query.name,
        "timeRange": Value::Object(range),
        "result": result,
    })
}
