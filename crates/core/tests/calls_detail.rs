//! One call's detail, built from the cached JSON: every shape the simulator serves (ended,
//! unsettled, squads with per-member costs, failed before starting, messages in the artifact or
//! at the top, tool calls, success evaluations as text or a boolean, explicit nulls) and shapes
//! written by hand that it does not (numbers as text, fractional-ms times, odd entries).

mod sync_support;

use agencydesk_core::calls::{self, CallDetail};
use agencydesk_core::store::assistants::{self, AssistantRow};
use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::vapi::money::usd_to_micros;
use serde_json::{json, Value};

fn detail(store: &Store, id: &str, reveal: bool) -> CallDetail {
    store
        .read(|c| calls::call_detail(c, id, reveal))
        .unwrap()
        .unwrap_or_else(|| panic!("call {id} is not cached"))
}

fn sim_messages(call: &Value) -> &[Value] {
    match call.pointer("/artifact/messages").and_then(Value::as_array) {
        Some(m) => m,
        None => call["messages"].as_array().map_or(&[], Vec::as_slice),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shape_the_simulator_serves_reads_back() {
    let w = sync_support::world(1, 20, 30).await;
    let org = w.manifest.orgs[0].clone();
    let squad_id = w.handle.add_squad_call(&org.id).unwrap();
    let failed_id = w.handle.add_failed_call(&org.id).unwrap();
    let nulls: serde_json::Map<String, Value> = serde_json::from_value(json!({
        "analysis": null, "artifact": null, "messages": null, "costs": null,
        "costBreakdown": null, "cost": null, "customer": {"number": null}, "startedAt": null,
        "endedReason": null, "summary": null, "transcript": null
    }))
    .unwrap();
    let nulls_id = w.handle.add_call_with_fields(&org.id, nulls).unwrap();
    assert!(w.sync(&sync_support::options(1000)).await.0.all_done());
    w.store
        .write(|tx| {
            let rows: Vec<AssistantRow> = org
                .assistants
                .iter()
                .map(|a| AssistantRow {
                    id: a.id.clone(),
                    org_id: org.id.clone(),
                    name: Some(a.name.clone()),
                    created_at: time::now(),
                    updated_at: time::now(),
                    raw: "{}".into(),
                })
                .collect();
            assistants::replace_for_org(tx, &org.id, &rows)
        })
        .unwrap();

    let sim = w.handle.calls(&org.id);
    let (mut tools, mut bools, mut texts, mut in_artifact) = (0, 0, 0, 0);
    for call in &sim {
        let id = call["id"].as_str().unwrap();
        let d = detail(&w.store, id, false);
        assert_eq!(d.org_id, org.id);
        assert_eq!(d.created_at, call["createdAt"].as_str().unwrap());
        // Every line of the conversation, tool calls included, in order.
        let lines = sim_messages(call);
        assert_eq!(d.messages.len(), lines.len(), "{id}");
        for (got, sent) in d.messages.iter().zip(lines) {
            match sent["role"].as_str().unwrap() {
                "bot" => assert_eq!(got.role, "assistant"),
                "user" => assert_eq!(got.role, "customer"),
                "tool_calls" => {
                    assert_eq!(got.role, "tool-calls");
                    assert_eq!(
                        got.tool_calls[0].name.as_deref(),
                        sent["toolCalls"][0]["function"]["name"].as_str()
                    );
                    tools += 1;
                }
                "tool_call_result" => {
                    assert_eq!(got.role, "tool-result");
                    assert_eq!(got.text.as_deref(), sent["result"].as_str());
                    assert_eq!(got.tool_name.as_deref(), sent["name"].as_str());
                }
                other => assert_eq!(got.role, other),
            }
            if let Some(text) = sent["message"].as_str() {
                assert_eq!(got.text.as_deref(), Some(text));
            }
            let at = sent["time"].as_i64().unwrap();
            assert_eq!(
                got.at
                    .as_deref()
                    .map(|t| time::parse(t).unwrap().timestamp_millis()),
                Some(at)
            );
        }
        in_artifact += usize::from(call.pointer("/artifact/messages").is_some());
        // The cost and its split, exact.
        let cost = call["cost"].as_f64().and_then(usd_to_micros);
        assert_eq!(d.cost_micros, cost, "{id}");
        let entries = call["costs"].as_array().map_or(0, Vec::len);
        assert_eq!(d.costs.len(), entries, "{id}");
        if entries > 0 {
            assert_eq!(
                d.costs_sum.as_deref().map(|s| s.parse::<f64>().unwrap()),
                cost.map(|m| m as f64 / 1e6),
                "{id}: costs[] add up to cost"
            );
        }
        let parts: i64 = d.breakdown.iter().map(|p| p.cost_micros).sum();
        if cost.is_some() {
            assert_eq!(Some(parts), cost, "{id}: the breakdown adds up");
        }
        // The analysis, as text or as a boolean.
        match call.pointer("/analysis/successEvaluation") {
            Some(Value::Bool(b)) => {
                bools += 1;
                assert_eq!(d.success.as_ref().and_then(|s| s.passed), Some(*b));
            }
            Some(Value::String(s)) => {
                texts += 1;
                assert_eq!(
                    d.success.as_ref().map(|e| e.text.as_str()),
                    Some(s.as_str())
                );
                assert!(d.success.as_ref().unwrap().passed.is_some());
            }
            _ => assert!(d.success.is_none(), "{id}"),
        }
        assert_eq!(
            d.summary.as_deref(),
            call.pointer("/analysis/summary").and_then(Value::as_str)
        );
        assert_eq!(d.ended_reason.as_deref(), call["endedReason"].as_str());
        assert_eq!(d.ended_reason_text.is_some(), d.ended_reason.is_some());
        // Real duration from the times; billed minutes from Vapi's own fee.
        let (started, ended) = (call["startedAt"].as_str(), call["endedAt"].as_str());
        if let (Some(s), Some(e)) = (started, ended) {
            let real = (time::parse(e).unwrap() - time::parse(s).unwrap()).num_milliseconds();
            assert_eq!(d.duration_seconds, Some(real as f64 / 1000.0));
        } else {
            assert_eq!(d.duration_seconds, None);
        }
        let vapi_minutes = call["costs"]
            .as_array()
            .and_then(|c| c.iter().find(|e| e["type"] == "vapi"))
            .and_then(|e| e["minutes"].as_f64());
        assert_eq!(d.billed_minutes, vapi_minutes, "{id}");
        // The customer's number: its last 4 digits only, unless revealed.
        match call.pointer("/customer/number").and_then(Value::as_str) {
            Some(number) => {
                let shown = d.customer.as_ref().unwrap();
                assert!(shown.masked);
                let masked = shown.number.as_deref().unwrap();
                assert!(masked.ends_with(&number[number.len() - 4..]), "{masked}");
                assert!(!masked.contains(&number[..number.len() - 4]), "{masked}");
                let revealed = detail(&w.store, id, true);
                assert_eq!(revealed.customer.unwrap().number.as_deref(), Some(number));
                let json = w
                    .store
                    .read(|c| calls::cached_call_json(c, id, false))
                    .unwrap()
                    .unwrap();
                assert!(!json.to_string().contains(number));
                assert_eq!(json["messages"], call["messages"], "the JSON as cached");
            }
            None => assert!(d.customer.as_ref().is_none_or(|c| c.number.is_none())),
        }
    }
    assert!(tools > 0, "the simulator serves tool calls");
    assert!(
        bools > 0 && texts > 0,
        "{bools} boolean, {texts} text evaluations"
    );
    assert!(in_artifact > 0 && in_artifact < sim.len(), "{in_artifact}");

    // A squad: no assistant, its members by name, one model entry per member.
    let squad = detail(&w.store, &squad_id, false);
    assert_eq!(squad.assistant_id, None);
    let info = squad.squad.as_ref().unwrap();
    let members: Vec<String> = org
        .assistants
        .iter()
        .take(3)
        .map(|a| a.name.clone())
        .collect();
    assert_eq!(info.members, members);
    assert!(info.name.is_some());
    let models = squad.costs.iter().filter(|e| e.kind == "model").count();
    assert_eq!(models, members.len());
    assert_eq!(squad.costs_sum, squad.cost);

    // Failed before it started: nothing but the reason.
    let failed = detail(&w.store, &failed_id, false);
    assert_eq!(
        (
            failed.cost.as_ref(),
            failed.costs.len(),
            failed.costs_sum.as_ref()
        ),
        (None, 0, None)
    );
    assert!(failed.messages.is_empty() && failed.transcript.is_none());
    assert!(failed.started_at.is_none() && failed.duration_seconds.is_none());
    assert!(failed.summary.is_none() && failed.success.is_none());
    assert_eq!(
        failed.ended_reason_text.as_deref(),
        Some("The call could not start (get transport).")
    );

    // Explicit nulls everywhere read as absent.
    let nulls = detail(&w.store, &nulls_id, false);
    assert!(nulls.messages.is_empty() && nulls.costs.is_empty() && nulls.breakdown.is_empty());
    assert!(nulls.cost.is_none() && nulls.ended_reason.is_none() && nulls.customer.is_none());

    assert!(w
        .store
        .read(|c| calls::call_detail(c, "no-such-call", false))
        .unwrap()
        .is_none());
}

fn store_with(calls: &[Value]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join(Store::FILE_NAME)).unwrap();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
                 VALUES ('org-1', 'Acme', 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
                [],
            )?;
            for c in calls {
                tx.execute(
                    "INSERT INTO calls (id, org_id, created_ms, updated_ms, raw)
                     VALUES (?1, 'org-1', 1790848800000, 1790848800000, ?2)",
                    (c["id"].as_str().unwrap(), c.to_string().into_bytes()),
                )?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    (dir, store)
}

#[test]
fn odd_shapes_written_by_hand_read_tolerantly() {
    let calls = [
        json!({"id": "numbers-as-text", "orgId": "org-1", "createdAt": "2026-10-01T10:00:00Z",
            "cost": "0.125", "costBreakdown": {"llm": "0.1", "tts": 0.025, "stt": null},
            "costs": [7, null, "x", {"type": "model", "model": {"provider": "openai", "model": "gpt-4o"},
                      "promptTokens": "1200", "completionTokens": 80.0, "cost": 0.1},
                      {"cost": 0.025, "characters": 340}],
            "analysis": {"summary": "", "successEvaluation": "8"},
            "artifact": {"messages": [
                {"role": "bot", "message": "Hello", "time": 1_790_000_000_123.456_f64, "secondsFromStart": 0.5},
                {"role": "tool_calls", "toolCalls": [{"function": {"name": "book", "arguments": {"day": 2}}}],
                 "time": 1_790_000_001_000_u64},
                {"role": "tool_call_result", "name": "book", "result": {"ok": true}},
                "not a message",
                {"role": "narrator", "message": "an unknown role"}
            ]},
            "squad": {"members": [{"assistant": {"name": "Inline helper"}}, {}]},
            "customer": {"number": "+15550001234", "name": "Pat"}}),
        json!({"id": "wrong-types", "orgId": "org-1", "createdAt": "2026-10-01T10:00:00Z",
            "messages": {"role": "bot"}, "costs": {"type": "vapi"}, "analysis": [1, 2],
            "analysisSuccess": true, "customer": "+15550001234", "endedReason": 42}),
        json!({"id": "bool-evaluation", "orgId": "org-1", "createdAt": "2026-10-01T10:00:00Z",
            "analysis": {"successEvaluation": false},
            "messages": [{"role": "user", "message": "Hi"}],
            "artifact": {"messages": []}}),
    ];
    let (_dir, store) = store_with(&calls);

    let d = detail(&store, "numbers-as-text", false);
    assert_eq!(d.cost.as_deref(), Some("0.125000"));
    assert_eq!(
        d.breakdown
            .iter()
            .map(|p| (p.component.as_str(), p.cost_micros))
            .collect::<Vec<_>>(),
        vec![("llm", 100_000), ("tts", 25_000)]
    );
    assert_eq!(d.costs.len(), 2, "non-object entries are skipped");
    assert_eq!(d.costs[0].prompt_tokens, Some(1200));
    assert_eq!(d.costs[0].completion_tokens, Some(80));
    assert_eq!(d.costs[0].provider.as_deref(), Some("openai"));
    assert_eq!(d.costs[1].kind, "other");
    assert_eq!(d.costs[1].characters, Some(340));
    assert_eq!(d.costs_sum.as_deref(), Some("0.125000"));
    assert_eq!(d.summary, None, "empty text reads as absent");
    let success = d.success.unwrap();
    assert_eq!((success.text.as_str(), success.passed), ("8", None));
    let roles: Vec<&str> = d.messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(
        roles,
        ["assistant", "tool-calls", "tool-result", "narrator"]
    );
    assert_eq!(
        d.messages[0].at.as_deref(),
        Some("2026-09-21T14:13:20.123Z")
    );
    assert_eq!(
        d.messages[1].tool_calls[0].arguments.as_deref(),
        Some(r#"{"day":2}"#)
    );
    assert_eq!(d.messages[2].text.as_deref(), Some(r#"{"ok":true}"#));
    assert_eq!(d.squad.unwrap().members, ["Inline helper"]);
    let customer = d.customer.unwrap();
    assert_eq!(customer.number.as_deref(), Some("••• 1234"));
    assert_eq!(customer.name.as_deref(), Some("Pat"));

    let d = detail(&store, "wrong-types", false);
    assert!(d.messages.is_empty() && d.costs.is_empty() && d.success.is_none());
    assert!(d.customer.is_none() && d.ended_reason.is_none() && d.squad.is_none());

    // An empty artifact.messages falls back to the top-level list.
    let d = detail(&store, "bool-evaluation", false);
    assert_eq!(d.messages.len(), 1);
    let success = d.success.unwrap();
    assert_eq!(
        (success.text.as_str(), success.passed),
        ("false", Some(false))
    );
}
