//! `POST /analytics` over the `call` table and the org's subscription facts, over real HTTP:
//! figures equal what `GET /call` serves, and malformed queries are refused in class-validator's
//! words, every problem at once.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use common::{small_config, start, Env};
use reqwest::Method;
use serde_json::{json, Value};

/// micro-USD of a call's `cost`.
fn micros(call: &Value) -> Option<i64> {
    call["cost"]
        .as_f64()
        .map(|c| (c * 1_000_000.0).round() as i64)
}

fn all_calls(env: &Env, org: usize) -> Vec<Value> {
    env.sim.handle().calls(&env.m.orgs[org].id)
}

fn day_query(start: &str, end: &str) -> Value {
    json!({"queries": [{
        "name": "daily",
        "table": "call",
        "timeRange": {"start": start, "end": end, "step": "day", "timezone": "UTC"},
        "operations": [
            {"operation": "count", "column": "id", "alias": "calls"},
            {"operation": "sum", "column": "cost", "alias": "cost"},
            {"operation": "max", "column": "duration"},
        ],
    }]})
}

#[tokio::test]
async fn daily_counts_and_costs_equal_the_calls_served() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let (from, to) = ("2026-09-26T00:00:00Z", "2026-10-01T23:59:59.999Z");
    let r = env.post("/analytics", key, &day_query(from, to)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let answer = r.json();
    assert_eq!(answer.as_array().unwrap().len(), 1);
    assert_eq!(answer[0]["name"], "daily");
    assert_eq!(answer[0]["timeRange"]["step"], "day");
    assert_eq!(answer[0]["timeRange"]["timezone"], "UTC");

    let (lo, hi): (DateTime<Utc>, DateTime<Utc>) = (from.parse().unwrap(), to.parse().unwrap());
    let mut want: BTreeMap<String, (u64, i64, f64)> = BTreeMap::new();
    for call in all_calls(&env, 0) {
        let created: DateTime<Utc> = call["createdAt"].as_str().unwrap().parse().unwrap();
        if created < lo || created > hi {
            continue;
        }
        let day = format!("{}T00:00:00.000Z", created.format("%Y-%m-%d"));
        let e = want.entry(day).or_insert((0, 0, 0.0));
        e.0 += 1;
        e.1 += micros(&call).unwrap_or(0);
        if let (Some(s), Some(t)) = (call["startedAt"].as_str(), call["endedAt"].as_str()) {
            let s: DateTime<Utc> = s.parse().unwrap();
            let t: DateTime<Utc> = t.parse().unwrap();
            e.2 = e.2.max((t - s).num_milliseconds() as f64 / 60_000.0);
        }
    }
    assert_eq!(want.len(), 6, "six days of calls");
    let got: BTreeMap<String, (u64, i64, f64)> = answer[0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["date"].as_str().unwrap().to_owned(),
                (
                    row["calls"].as_u64().unwrap(),
                    micros(&json!({"cost": row["cost"]})).unwrap(),
                    row["maxDuration"].as_f64().unwrap(),
                ),
            )
        })
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (day, (n, cost, longest)) in &want {
        let (gn, gcost, glongest) = got[day];
        assert_eq!((gn, gcost), (*n, *cost), "{day}");
        assert!(
            (glongest - longest).abs() < 1e-9,
            "{day}: {glongest} vs {longest}"
        );
    }
}

#[tokio::test]
async fn no_step_is_one_bucket_and_group_by_splits_it() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[1].private_key;
    let calls = all_calls(&env, 1);
    let body = json!({"queries": [
        {"name": "all", "table": "call",
         "timeRange": {"start": "2026-01-01T00:00:00Z", "end": "2026-12-31T00:00:00Z"},
         "operations": [{"operation": "count", "column": "id"}]},
        {"name": "by type", "table": "call", "groupBy": ["type"],
         "timeRange": {"start": "2026-01-01T00:00:00Z", "end": "2026-12-31T00:00:00Z"},
         "operations": [{"operation": "count", "column": "id"}, {"operation": "sum", "column": "cost"}]},
    ]});
    let answer = env.post("/analytics", key, &body).await.json();
    let all = &answer[0]["result"];
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert!(all[0].get("date").is_none(), "no step, no date: {all}");
    assert_eq!(all[0]["countId"], calls.len() as u64, "default alias");
    let by_type = answer[1]["result"].as_array().unwrap();
    let mut total = 0;
    for row in by_type {
        let kind = row["type"].as_str().unwrap();
        let want = calls.iter().filter(|c| c["type"] == kind).count() as u64;
        assert_eq!(row["countId"], want, "{kind}");
        let cost: i64 = calls
            .iter()
            .filter(|c| c["type"] == kind)
            .filter_map(micros)
            .sum();
        assert_eq!(
            micros(&json!({"cost": row["sumCost"]})),
            Some(cost),
            "{kind}"
        );
        total += want;
    }
    assert_eq!(total, calls.len() as u64);
}

#[tokio::test]
async fn malformed_queries_are_refused_every_problem_at_once() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    for (body, wants) in [
        (json!({}), vec!["queries must be an array"]),
        (
            json!({"queries": [], "orgId": "x"}),
            vec!["property orgId should not exist"],
        ),
        (
            json!({"queries": [{"table": "calls", "operations": [{"operation": "median", "column": "cost"}]}]}),
            vec![
                "queries.0.table must be one of the following values: call, subscription",
                "queries.0.name must be a string",
                "queries.0.operations.0.operation must be one of the following values",
            ],
        ),
        (
            json!({"queries": [{"name": "n".repeat(41), "table": "call",
                "timeRange": {"start": "yesterday", "step": "fortnight"},
                "operations": [{"operation": "sum", "column": "price"}]}]}),
            vec![
                "queries.0.name must be shorter than or equal to 40 characters",
                "queries.0.timeRange.start must be a valid ISO 8601 date string",
                "queries.0.timeRange.step must be one of the following values",
                "queries.0.operations.0.column must be one of the following values",
            ],
        ),
        (
            json!({"queries": [{"name": "x", "table": "call", "groupBy": ["orgId"],
                "operations": [{"operation": "sum", "column": "id"}]}]}),
            vec![
                "each value in queries.0.groupBy must be one of the following values",
                "only count applies to id",
            ],
        ),
        (
            json!({"queries": [{"name": "x", "table": "call", "operations": "sum"}]}),
            vec!["queries.0.operations must be an array"],
        ),
    ] {
        let msgs = env.post("/analytics", key, &body).await.error(400);
        for want in &wants {
            assert!(
                msgs.iter().any(|m| m.starts_with(want) || m.contains(want)),
                "{want:?} not in {msgs:?} for {body}"
            );
        }
        assert_eq!(msgs.len(), wants.len(), "{msgs:?} for {body}");
    }
    // A public key reads nothing here.
    let public = &env.m.orgs[0].public_keys[0].value;
    env.post("/analytics", public, &day_query("2026-10-01", "2026-10-02"))
        .await
        .error(401);
    // GET is not routed.
    env.req(Method::GET, "/analytics", Some(key), None, None)
        .await
        .error(404);
}

#[tokio::test]
async fn orgs_carry_their_minutes_and_the_account_subscription() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let org = env
        .get(&format!("/org/{}", env.m.orgs[0].id), key)
        .await
        .json();
    let sub = &org["subscription"];
    assert_eq!(sub["status"], "active");
    assert!(sub["credits"].is_string(), "credits as a string: {sub}");
    assert_eq!(sub["concurrencyLimitIncluded"], 10);
    assert!(sub["minutesUsed"].is_number());
    let minutes: f64 = all_calls(&env, 0)
        .iter()
        .filter_map(|c| {
            let s: DateTime<Utc> = c["startedAt"].as_str()?.parse().ok()?;
            let e: DateTime<Utc> = c["endedAt"].as_str()?.parse().ok()?;
            Some((e - s).num_milliseconds() as f64 / 60_000.0)
        })
        .sum();
    assert!(
        (org["minutesUsed"].as_f64().unwrap() - minutes).abs() < 0.01,
        "{org}"
    );
    // One subscription for the account: every org of it reports the same one.
    let other = env
        .get(&format!("/org/{}", env.m.orgs[1].id), key)
        .await
        .json();
    assert_eq!(other["subscription"], org["subscription"]);

    // billingLimit: set, echoed, and refused out of Vapi's range with the org unchanged.
    let path = format!("/org/{}", env.m.orgs[0].id);
    let set = env
        .req(
            Method::PATCH,
            &path,
            Some(key),
            Some(&json!({"billingLimit": 250.5})),
            None,
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.json()["billingLimit"], 250.5);
    assert!(set.json()["subscription"].is_object());
    for (body, want) in [
        (
            json!({"billingLimit": 1000.01}),
            "billingLimit must not be greater than 1000",
        ),
        (
            json!({"billingLimit": -1}),
            "billingLimit must not be less than 0",
        ),
        (
            json!({"billingLimit": "250"}),
            "billingLimit must be a number",
        ),
    ] {
        let msgs = env
            .req(Method::PATCH, &path, Some(key), Some(&body), None)
            .await
            .error(400);
        assert!(msgs.iter().any(|m| m.starts_with(want)), "{msgs:?}");
    }
    assert_eq!(env.get(&path, key).await.json()["billingLimit"], 250.5);
}
