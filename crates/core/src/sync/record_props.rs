//! Property tests of call page parsing: any JSON never panics, an odd call never sinks its
//! page, and what is stored is the call's JSON without its secret-looking fields.

use proptest::prelude::*;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use super::options::RawEncoding;
use super::raw;
use super::record::{parse_page, PageDict};
use crate::vapi::redact::scrub_secrets;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        // Finite, and read back exactly by serde_json (its fast float parser may be off by a
        // unit in the last place for some values: not what is under test here).
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity, and reads back exactly", |f| {
                f.is_finite()
                    && serde_json::from_str::<f64>(&Value::from(*f).to_string()).ok() == Some(*f)
            })
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from("2026-11-01T10:00:00Z")),
        Just(Value::from("o1")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The names the sync reads (with odd values), secret-looking ones, and any other.
fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "type",
            "status",
            "endedReason",
            "assistantId",
            "phoneNumberId",
            "startedAt",
            "endedAt",
            "cost",
            "costBreakdown",
            "costs",
            "total",
            "minutes",
            "transport",
            "apiKey",
            "secret",
            "authToken",
            "headers",
            "password",
            "credentials",
            "token",
            "maxTokens",
            "llm",
            "vapi",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_-]{1,10}",
    ]
}

/// A call with its identity (id, this org, both times) and anything else, oddly typed.
fn odd_call(id: String) -> impl Strategy<Value = Value> {
    prop::collection::btree_map(field_name(), any_json(), 0..8).prop_map(move |extra| {
        let mut call: Map<String, Value> = extra
            .into_iter()
            .filter(|(k, _)| !["id", "orgId", "createdAt", "updatedAt"].contains(&k.as_str()))
            .collect();
        call.insert("id".into(), json!(id));
        call.insert("orgId".into(), json!("o1"));
        call.insert("createdAt".into(), json!("2026-11-01T10:00:00Z"));
        call.insert("updatedAt".into(), json!("2026-11-01T10:05:00.123Z"));
        Value::Object(call)
    })
}

fn good(id: &str) -> Value {
    json!({"id": id, "orgId": "o1", "createdAt": "2026-11-01T09:00:00Z",
           "updatedAt": "2026-11-01T09:00:00Z", "cost": 0.25})
}

fn page(calls: &[Value]) -> Vec<Box<RawValue>> {
    calls
        .iter()
        .map(|c| RawValue::from_string(c.to_string()).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn an_odd_call_never_sinks_its_page(odd in odd_call("odd".into())) {
        let calls = [good("a"), odd.clone(), good("b")];
        let parsed = parse_page("o1", "Acme", &page(&calls), RawEncoding::Zstd(1), PageDict::None);
        let rows = match parsed {
            Ok(p) => p.rows,
            Err(e) => return Err(TestCaseError::fail(format!("page refused: {e}"))),
        };
        let mut ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        prop_assert_eq!(ids, vec!["a", "b", "odd"]);
        // Kept as it came, minus secret-looking fields, which never survive.
        let row = rows.iter().find(|r| r.id == "odd").unwrap();
        let stored = raw::decode_json(&row.raw).unwrap();
        let mut expected = odd;
        scrub_secrets(&mut expected);
        prop_assert_eq!(stored, expected);
    }

    #[test]
    fn any_json_in_a_page_never_panics(element in any_json()) {
        let calls = [good("a"), element.clone()];
        if let Ok(parsed) = parse_page("o1", "Acme", &page(&calls), RawEncoding::Plain, PageDict::None) {
            // Accepted only as a call of this org with its identity.
            prop_assert_eq!(parsed.rows.len(), 2);
            prop_assert_eq!(element.get("orgId"), Some(&json!("o1")));
            prop_assert!(element.get("id").is_some_and(Value::is_string));
        }
    }
}
