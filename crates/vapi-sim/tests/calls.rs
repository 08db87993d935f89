//! `GET /call` filters, ordering and limits against a brute-force filter of
//! `SimHandle::calls`; bursts; cost settlement; the shape of a call.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use reqwest::Method;
use serde_json::Value;

fn ts(v: &Value, field: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v[field].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test]
async fn filters_and_order_match_a_brute_force_filter() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let all = env.sim.handle().calls(&org.id);
    assert!(all.len() > 150, "{}", all.len());

    // Newest first: createdAt desc, ties by id desc.
    for w in all.windows(2) {
        let a = (ts(&w[0], "createdAt"), w[0]["id"].as_str().unwrap());
        let b = (ts(&w[1], "createdAt"), w[1]["id"].as_str().unwrap());
        assert!(a > b, "{a:?} then {b:?}");
    }
    let pick = |i: usize| all[i * all.len() / 7].clone();
    let (c1, c2, c3) = (pick(1), pick(3), pick(5));
    let phone = all.iter().find(|c| c["phoneNumberId"].is_string()).unwrap()["phoneNumberId"]
        .as_str()
        .unwrap()
        .to_owned();
    let assistant = org.assistants[0].id.clone();
    let t_hi = ts(&c1, "createdAt");
    let t_lo = ts(&c3, "createdAt");
    let u_mid = ts(&c2, "updatedAt");

    type Pred = Box<dyn Fn(&Value) -> bool>;
    let cases: Vec<(String, Pred)> = vec![
        (String::new(), Box::new(|_| true)),
        (format!("id={}", c2["id"].as_str().unwrap()), {
            let id = c2["id"].clone();
            Box::new(move |c| c["id"] == id)
        }),
        (format!("assistantId={assistant}"), {
            let a = assistant.clone();
            Box::new(move |c| c["assistantId"] == a.as_str())
        }),
        (format!("phoneNumberId={phone}"), {
            let p = phone.clone();
            Box::new(move |c| c["phoneNumberId"] == p.as_str())
        }),
        (
            format!("createdAtGt={}", iso(t_lo)),
            Box::new(move |c| ts(c, "createdAt") > t_lo),
        ),
        (
            format!("createdAtGe={}", iso(t_lo)),
            Box::new(move |c| ts(c, "createdAt") >= t_lo),
        ),
        (
            format!("createdAtLt={}", iso(t_hi)),
            Box::new(move |c| ts(c, "createdAt") < t_hi),
        ),
        (
            format!("createdAtLe={}", iso(t_hi)),
            Box::new(move |c| ts(c, "createdAt") <= t_hi),
        ),
        (
            format!("createdAtGe={}&createdAtLt={}", iso(t_lo), iso(t_hi)),
            Box::new(move |c| ts(c, "createdAt") >= t_lo && ts(c, "createdAt") < t_hi),
        ),
        (
            format!("updatedAtGt={}", iso(u_mid)),
            Box::new(move |c| ts(c, "updatedAt") > u_mid),
        ),
        (
            format!("updatedAtLe={}", iso(u_mid)),
            Box::new(move |c| ts(c, "updatedAt") <= u_mid),
        ),
        (
            format!("updatedAtGe={}&assistantId={assistant}", iso(u_mid)),
            {
                let a = assistant.clone();
                Box::new(move |c| ts(c, "updatedAt") >= u_mid && c["assistantId"] == a.as_str())
            },
        ),
        ("assistantId=not-a-uuid".into(), Box::new(|_| false)),
        (
            "phoneNumberId=00000000-0000-4000-8000-000000000000".into(),
            Box::new(|_| false),
        ),
    ];
    for (query, pred) in &cases {
        let want: Vec<Value> = all.iter().filter(|c| pred(c)).cloned().collect();
        for limit in [None, Some(0), Some(7), Some(1000)] {
            let sep = if query.is_empty() { "" } else { "&" };
            let path = match limit {
                Some(l) => format!("/call?{query}{sep}limit={l}"),
                None => format!("/call?{query}"),
            };
            let r = env.get(&path, &org.private_key).await;
            assert_eq!(r.status, 200, "{path}: {}", r.text);
            let got = r.json().as_array().unwrap().clone();
            let n = limit.unwrap_or(100).min(want.len());
            assert_eq!(ids(&got), ids(&want[..n]), "{path}");
        }
    }
    // Full objects over HTTP equal the handle's view.
    let r = env.get("/call?limit=3", &org.private_key).await.json();
    assert_eq!(r.as_array().unwrap().as_slice(), &all[..3]);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn limit_and_date_validation() {
    let env = start(small_config()).await;
    let k = &env.m.orgs[0].private_key;
    for bad in ["-1", "1001", "2.5", "abc", "", "1e9"] {
        let msgs = env.get(&format!("/call?limit={bad}"), k).await.error(400);
        assert!(
            msgs.iter().any(|m| m.starts_with("limit")),
            "{bad}: {msgs:?}"
        );
    }
    assert_eq!(
        env.get("/call?limit=0", k).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        env.get("/call?limit=1000", k)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1000.min(env.sim.handle().call_count(&env.m.orgs[0].id))
    );
    for bad in [
        "createdAtGt=yesterday",
        "updatedAtLe=2026-13-01",
        "createdAtLt=12345x",
    ] {
        let msgs = env.get(&format!("/call?{bad}"), k).await.error(400);
        assert!(msgs[0].contains("ISO 8601"), "{msgs:?}");
    }
    let msgs = env.get("/call?page=2", k).await.error(400);
    assert_eq!(msgs, vec!["property page should not exist"]);
    env.get("/call/not-a-uuid", k).await.error(400);
    env.get("/call/00000000-0000-4000-8000-000000000000", k)
        .await
        .error(404);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn bursts_share_created_at_and_page_with_le_and_dedup() {
    let env = start(small_config()).await;
    let h = env.sim.handle();
    let org = &env.m.orgs[0];
    // The seed itself has a campaign burst in org 0.
    let all = h.calls(&org.id);
    let mut counts = std::collections::HashMap::new();
    for c in &all {
        *counts
            .entry(c["createdAt"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
    }
    assert!(
        counts.values().any(|n| *n >= vapi_sim::BURST_SIZE),
        "no seeded burst"
    );

    // A burst added at run time.
    let at = anchor() - Duration::hours(30);
    let added = h.add_calls(&org.id, 150, Some(at));
    assert_eq!(added.len(), 150);
    let r = env
        .get(
            &format!("/call?createdAtGe={0}&createdAtLe={0}&limit=1000", iso(at)),
            &org.private_key,
        )
        .await
        .json();
    let got = r.as_array().unwrap();
    assert!(got.len() >= 150);
    assert!(got.iter().all(|c| c["createdAt"] == iso(at).as_str()));
    let mut want = added.clone();
    want.sort();
    let mut have = ids(got);
    have.sort();
    assert!(want.iter().all(|id| have.contains(id)));

    // Paging backwards with createdAtLe + de-duplication by id sees every
    // call exactly once, as long as a page is larger than any burst.
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages < 100, "paging does not progress");
        let path = match &cursor {
            Some(c) => format!("/call?limit=200&createdAtLe={c}"),
            None => "/call?limit=200".to_owned(),
        };
        let page = env.get(&path, &org.private_key).await.json();
        let page = page.as_array().unwrap().clone();
        let before = seen.len();
        seen.extend(ids(&page));
        if page.len() < 200 {
            break;
        }
        assert!(seen.len() > before, "a full page brought nothing new");
        cursor = page
            .last()
            .map(|c| c["createdAt"].as_str().unwrap().to_owned());
    }
    assert_eq!(seen.len(), h.call_count(&org.id));
    env.sim.shutdown().await;
}

#[tokio::test]
async fn pending_costs_settle_later() {
    let env = start(small_config()).await;
    let h = env.sim.handle();
    let org = &env.m.orgs[0];
    let before = h.calls(&org.id);
    // Unsettled calls carry only the transport and Vapi cost items.
    let pending: Vec<&Value> = before
        .iter()
        .filter(|c| c["costs"].as_array().unwrap().len() == 2)
        .collect();
    assert!(!pending.is_empty(), "the newest calls start unsettled");
    let newest_update = before.iter().map(|c| ts(c, "updatedAt")).max().unwrap();

    let settled = h.settle_pending_costs();
    assert!(settled >= pending.len());
    assert_eq!(h.settle_pending_costs(), 0);
    let after = h.calls(&org.id);
    for p in &pending {
        let a = after.iter().find(|c| c["id"] == p["id"]).unwrap();
        assert!(ts(a, "updatedAt") > ts(p, "updatedAt"));
        assert!(a["cost"].as_f64().unwrap() > p["cost"].as_f64().unwrap());
        assert_ne!(a["costBreakdown"], p["costBreakdown"]);
        assert!(a["costs"].as_array().unwrap().len() > p["costs"].as_array().unwrap().len());
        assert_eq!(a["createdAt"], p["createdAt"]);
    }
    // An updatedAt watermark finds exactly the settled calls.
    let r = env
        .get(
            &format!("/call?updatedAtGt={}&limit=1000", iso(newest_update)),
            &org.private_key,
        )
        .await
        .json();
    let mut got = ids(r.as_array().unwrap());
    got.sort();
    let mut want: Vec<String> = pending
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    assert_eq!(got, want);

    // Calls added at run time are unsettled until the next settlement.
    let added = h.add_calls(&org.id, 3, None);
    let r = env
        .get(&format!("/call?id={}", added[0]), &org.private_key)
        .await
        .json();
    assert_eq!(r[0]["costs"].as_array().unwrap().len(), 2);
    assert_eq!(h.settle_pending_costs(), 3);
    let r2 = env
        .get(&format!("/call?id={}", added[0]), &org.private_key)
        .await
        .json();
    assert!(ts(&r2[0], "updatedAt") > ts(&r[0], "updatedAt"));
    assert_eq!(r2[0]["costs"].as_array().unwrap().len(), 5);
    let newest = env.get("/call?limit=3", &org.private_key).await.json();
    let mut newest_ids = ids(newest.as_array().unwrap());
    newest_ids.sort();
    let mut added_sorted = added.clone();
    added_sorted.sort();
    assert_eq!(newest_ids, added_sorted, "calls added now are the newest");
    env.sim.shutdown().await;
}

#[tokio::test]
async fn calls_are_realistic_and_costs_add_up() {
    let env = start(small_config()).await;
    let h = env.sim.handle();
    h.settle_pending_costs();
    let mut kinds = std::collections::BTreeSet::new();
    let mut reasons = std::collections::BTreeSet::new();
    for org in &env.m.orgs {
        for c in h.calls(&org.id) {
            kinds.insert(c["type"].as_str().unwrap().to_owned());
            reasons.insert(c["endedReason"].as_str().unwrap().to_owned());
            assert_eq!(c["status"], "ended");
            for f in ["createdAt", "updatedAt", "startedAt", "endedAt"] {
                let s = c[f].as_str().unwrap();
                assert_eq!(s.len(), 24, "{s}");
                assert!(s.ends_with('Z') && s.as_bytes()[19] == b'.', "{s}");
            }
            let dur = ts(&c, "endedAt") - ts(&c, "startedAt");
            assert!(
                dur >= Duration::seconds(10) && dur <= Duration::minutes(15),
                "{dur}"
            );
            assert!(ts(&c, "startedAt") >= ts(&c, "createdAt"));
            assert!(ts(&c, "updatedAt") >= ts(&c, "endedAt"));
            assert!(ts(&c, "endedAt") <= anchor());
            let b = &c["costBreakdown"];
            let parts: f64 = ["transport", "stt", "llm", "tts", "vapi", "chat"]
                .iter()
                .map(|k| b[k].as_f64().unwrap())
                .sum();
            let total = b["total"].as_f64().unwrap();
            assert!((parts - total).abs() < 1e-9, "{parts} vs {total}");
            assert_eq!(c["cost"].as_f64().unwrap(), total);
            let items: f64 = c["costs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["cost"].as_f64().unwrap())
                .sum();
            assert!((items - total).abs() < 1e-9);
            let phone = c["type"] != "webCall";
            assert_eq!(c["phoneNumberId"].is_string(), phone);
            assert_eq!(c["customer"]["number"].is_string(), phone);
        }
    }
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(reasons.len() >= 5, "{reasons:?}");
    let one = &h.calls(&env.m.orgs[0].id)[5];
    let size = serde_json::to_vec(one).unwrap().len();
    assert!((1_000..20_000).contains(&size), "{size} bytes");
    assert!(one["transcript"].as_str().unwrap().contains("AI: "));
    // Messages at the top (the older shape) or in the artifact (the newer one), never both.
    let messages = |c: &Value| {
        let (top, inner) = (&c["messages"], &c["artifact"]["messages"]);
        assert!(top.is_null() || inner.is_null(), "messages twice");
        if top.is_null() { inner } else { top }
            .as_array()
            .map_or(0, Vec::len)
    };
    assert!(messages(one) >= 2);
    // Every shape a detail view meets, in proportions that show up in any org.
    let all: Vec<Value> = env.m.orgs.iter().flat_map(|o| h.calls(&o.id)).collect();
    let count = |f: &dyn Fn(&Value) -> bool| all.iter().filter(|c| f(c)).count();
    let in_artifact = count(&|c| c["artifact"]["messages"].is_array());
    let with_tools = count(&|c| {
        let list = if c["messages"].is_array() {
            &c["messages"]
        } else {
            &c["artifact"]["messages"]
        };
        list.as_array()
            .is_some_and(|m| m.iter().any(|m| m["role"] == "tool_calls"))
    });
    let bools = count(&|c| c["analysis"]["successEvaluation"].is_boolean());
    let texts = count(&|c| c["analysis"]["successEvaluation"].is_string());
    let nulls = count(&|c| {
        c["analysis"]
            .as_object()
            .is_some_and(|a| a.get("successEvaluation") == Some(&Value::Null))
    });
    for (what, n) in [
        ("artifact.messages", in_artifact),
        ("tool calls", with_tools),
        ("boolean evaluations", bools),
        ("text evaluations", texts),
        ("null evaluations", nulls),
    ] {
        assert!(n > 0 && n < all.len(), "{what}: {n} of {}", all.len());
    }
    env.sim.shutdown().await;
}

#[tokio::test]
async fn squads_and_calls_that_never_started() {
    let env = start(small_config()).await;
    let h = env.sim.handle();
    let org = &env.m.orgs[0];
    let squad_id = h.add_squad_call(&org.id).unwrap();
    let failed_id = h.add_failed_call(&org.id).unwrap();
    let get = |id: &str| {
        h.calls(&org.id)
            .into_iter()
            .find(|c| c["id"] == id)
            .unwrap()
    };

    let squad = get(&squad_id);
    assert!(squad.get("assistantId").is_none());
    assert!(squad["squadId"].is_string());
    let members: Vec<&str> = squad["squad"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["assistantId"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = org
        .assistants
        .iter()
        .take(3)
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(members, expected);
    let costs = squad["costs"].as_array().unwrap();
    for kind in ["transcriber", "model", "voice"] {
        let n = costs.iter().filter(|c| c["type"] == kind).count();
        assert_eq!(n, members.len(), "{kind}");
    }
    let sum: f64 = costs.iter().map(|c| c["cost"].as_f64().unwrap()).sum();
    assert!((sum - squad["cost"].as_f64().unwrap()).abs() < 1e-9);
    // The squad's calls are not any assistant's.
    let by_assistant = env
        .get(
            &format!("/call?assistantId={}&limit=1000", expected[0]),
            &org.private_key,
        )
        .await
        .json();
    assert!(by_assistant
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != squad_id.as_str()));

    let failed = get(&failed_id);
    assert_eq!(failed["status"], "ended");
    assert_eq!(failed["endedReason"], "call.start.error-get-transport");
    assert!(failed.get("startedAt").is_none() && failed["endedAt"].is_string());
    for absent in [
        "cost",
        "costBreakdown",
        "messages",
        "transcript",
        "analysis",
        "summary",
    ] {
        assert!(failed.get(absent).is_none(), "{absent}");
    }
    assert_eq!(failed["artifact"], Value::Null);
    assert!(failed.as_object().unwrap().contains_key("artifact"));
    assert_eq!(failed["costs"], serde_json::json!([]));
    // Served the same way by GET /call/{id}.
    let one = env
        .get(&format!("/call/{failed_id}"), &org.private_key)
        .await
        .json();
    assert_eq!(one, failed);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn delete_call_removes_it() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[1];
    let h = env.sim.handle();
    let n = h.call_count(&org.id);
    let id = h.calls(&org.id)[10]["id"].as_str().unwrap().to_owned();
    let r = env
        .req(
            Method::DELETE,
            &format!("/call/{id}"),
            Some(&org.private_key),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["id"], id.as_str());
    assert_eq!(h.call_count(&org.id), n - 1);
    env.get(&format!("/call/{id}"), &org.private_key)
        .await
        .error(404);
    env.sim.shutdown().await;
}

/// `add_call_with_fields` serves the given fields on one new call, over `GET /call/{id}` and in
/// the listing, replacing a generated field of the same name and keeping the rest.
#[tokio::test]
async fn injected_fields_are_served_on_the_new_call() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let handle = env.sim.handle();
    let before = handle.call_count(&org.id);
    let fields = serde_json::json!({
        "squad": {"name": "Night shift", "members": [{"assistant": {"model": {"apiKey": "sk-x"}}}]},
        "status": "injected-status"
    });
    let Value::Object(fields) = fields else {
        unreachable!()
    };
    assert_eq!(
        handle.add_call_with_fields("not-an-org", fields.clone()),
        None
    );
    let id = handle.add_call_with_fields(&org.id, fields).unwrap();
    assert_eq!(handle.call_count(&org.id), before + 1);

    let one = env
        .get(&format!("/call/{id}"), &org.private_key)
        .await
        .json();
    assert_eq!(
        one["squad"]["members"][0]["assistant"]["model"]["apiKey"],
        "sk-x"
    );
    assert_eq!(one["status"], "injected-status");
    assert_eq!(one["id"], id.as_str());
    assert!(
        one["createdAt"].is_string() && one["costs"].is_array(),
        "{one}"
    );
    let listed = env.get("/call?limit=1", &org.private_key).await.json();
    assert_eq!(listed[0], one);
}
