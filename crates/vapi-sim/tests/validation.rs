//! Vapi's NestJS error shape for bad input, and no 5xx on any garbage.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use vapi_sim::SimConfig;

#[tokio::test]
async fn token_body_validation() {
    let env = start(small_config()).await;
    let k = &env.m.orgs[0].private_key;
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"tag": "public", "restrictions": {"allowedOrigins": [null]}}),
            "each value in restrictions.allowedOrigins must be a string",
        ),
        (
            json!({"tag": "public", "restrictions": {"allowedOrigins": ["https://ok.com", 5]}}),
            "each value in restrictions.allowedOrigins must be a string",
        ),
        (
            json!({"tag": "public", "restrictions": {"allowedOrigins": "https://ok.com"}}),
            "restrictions.allowedOrigins must be an array",
        ),
        (
            json!({"tag": "public", "restrictions": {"allowedOrigins": ["acme.com"]}}),
            "restrictions.allowedOrigins must contain only origins",
        ),
        (
            json!({"tag": "public", "restrictions": {"allowedOrigins": ["https://acme.com/path"]}}),
            "restrictions.allowedOrigins must contain only origins",
        ),
        (
            json!({"tag": "public", "restrictions": {"allowedAssistantIds": [{}]}}),
            "each value in restrictions.allowedAssistantIds must be a string",
        ),
        (
            json!({"tag": "public", "restrictions": {"enabled": "yes"}}),
            "restrictions.enabled must be a boolean value",
        ),
        (
            json!({"tag": "public", "restrictions": {"bogus": true}}),
            "property restrictions.bogus should not exist",
        ),
        (
            json!({"tag": "public", "restrictions": []}),
            "restrictions must be an object",
        ),
        (
            json!({"tag": "admin"}),
            "tag must be one of the following values: private, public",
        ),
        (
            json!({"name": "x"}),
            "tag must be one of the following values: private, public",
        ),
        (
            json!({"tag": "public", "name": "x".repeat(41)}),
            "name must be shorter than or equal to 40 characters",
        ),
        (
            json!({"tag": "public", "name": 12}),
            "name must be a string",
        ),
        (
            json!({"tag": "public", "value": "chosen-by-me"}),
            "property value should not exist",
        ),
        (json!([1, 2]), "body must be an object"),
        (json!("str"), "body must be an object"),
    ];
    for (body, want) in cases {
        let msgs = env.post("/token", k, &body).await.error(400);
        assert!(msgs.iter().any(|m| m.starts_with(want)), "{body}: {msgs:?}");
    }
    // A name of exactly 40 characters (multi-byte ones too) is fine.
    let ok = env
        .post(
            "/token",
            k,
            &json!({"tag": "public", "name": "é".repeat(40)}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    // PATCH validates the same way and leaves the token unchanged on error.
    let id = ok.json()["id"].as_str().unwrap().to_owned();
    let r = env
        .req(
            Method::PATCH,
            &format!("/token/{id}"),
            Some(k),
            Some(&json!({"restrictions": {"allowedOrigins": [null]}})),
            None,
        )
        .await;
    r.error(400);
    let t = env.get(&format!("/token/{id}"), k).await.json();
    assert!(t.get("restrictions").is_none(), "{t}");
    env.sim.shutdown().await;
}

#[tokio::test]
async fn org_and_assistant_validation() {
    let env = start(small_config()).await;
    let k = &env.m.agency.private_key;
    for (body, want) in [
        (
            json!({"name": "n".repeat(41)}),
            "name must be shorter than or equal to 40 characters",
        ),
        (
            json!({"billingLimit": 1001}),
            "billingLimit must not be greater than 1000",
        ),
        (
            json!({"billingLimit": -1}),
            "billingLimit must not be less than 0",
        ),
        (
            json!({"billingLimit": "100"}),
            "billingLimit must be a number",
        ),
        (
            json!({"concurrencyLimit": 0}),
            "concurrencyLimit must not be less than 1",
        ),
        (
            json!({"concurrencyLimit": 11}),
            "concurrencyLimit must not be greater than 10",
        ),
        (
            json!({"channel": "fast"}),
            "channel must be one of the following values",
        ),
        (json!({"owner": "me"}), "property owner should not exist"),
    ] {
        let msgs = env.post("/org", k, &body).await.error(400);
        assert!(msgs.iter().any(|m| m.starts_with(want)), "{body}: {msgs:?}");
    }
    let msgs = env
        .post(
            "/org",
            k,
            &json!({"name": "n".repeat(41), "billingLimit": 5000}),
        )
        .await
        .error(400);
    assert_eq!(msgs.len(), 2, "every problem is reported: {msgs:?}");

    for (body, want) in [
        (
            json!({"name": "a".repeat(41)}),
            "name must be shorter than or equal to 40 characters",
        ),
        (
            json!({"maxDurationSeconds": 5}),
            "maxDurationSeconds must not be less than 10",
        ),
        (json!({"model": "gpt-4o"}), "model must be an object"),
        (json!({"id": "mine"}), "property id should not exist"),
    ] {
        let msgs = env.post("/assistant", k, &body).await.error(400);
        assert!(msgs.iter().any(|m| m.starts_with(want)), "{body}: {msgs:?}");
    }
    let created = env
        .post(
            "/assistant",
            k,
            &json!({"name": "Front Desk", "firstMessage": "Hi"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let a = created.json();
    let id = a["id"].as_str().unwrap();
    let patched = env
        .req(
            Method::PATCH,
            &format!("/assistant/{id}"),
            Some(k),
            Some(&json!({"firstMessage": "Hello"})),
            None,
        )
        .await
        .json();
    assert_eq!(patched["firstMessage"], "Hello");
    assert_eq!(patched["name"], "Front Desk");
    let list = env.get("/assistant?limit=1", k).await.json();
    assert_eq!(list[0]["id"], id);
    env.get("/assistant?limit=5000", k).await.error(400);
    env.get("/assistant?createdAtGt=nope", k).await.error(400);
    let del = env
        .req(
            Method::DELETE,
            &format!("/assistant/{id}"),
            Some(k),
            None,
            None,
        )
        .await;
    assert_eq!(del.status, 200);
    env.get(&format!("/assistant/{id}"), k).await.error(404);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn malformed_json_unknown_routes_and_methods() {
    let env = start(small_config()).await;
    let k = &env.m.orgs[0].private_key;
    for raw in [
        "{",
        "{\"tag\": }",
        "nul",
        "\u{0}",
        "{\"tag\":\"public\"} trailing",
    ] {
        let r = env
            .http
            .post(env.url("/token"))
            .bearer_auth(k)
            .header("content-type", "application/json")
            .body(raw.to_owned())
            .send()
            .await
            .unwrap();
        let resp = Resp {
            status: r.status(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        };
        let msgs = resp.error(400);
        assert!(msgs[0].contains("JSON"), "{raw}: {msgs:?}");
    }
    let msgs = env.get("/nope", k).await.error(404);
    assert_eq!(msgs, vec!["Cannot GET /nope"]);
    let msgs = env
        .req(Method::PUT, "/call", Some(k), None, None)
        .await
        .error(404);
    assert_eq!(msgs, vec!["Cannot PUT /call"]);
    env.req(Method::PATCH, "/call/web", None, None, None)
        .await
        .error(404);
    // Auth comes before validation, as Nest's guards run before pipes.
    env.post("/token", "bad-key", &json!({"tag": 5}))
        .await
        .error(401);
    env.sim.shutdown().await;
}

/// Throws assorted garbage at every endpoint: answers must be JSON errors or
/// successes, never a 5xx or a plain-text body.
#[tokio::test]
async fn no_input_makes_the_server_fail() {
    let env = start(SimConfig {
        days: 2,
        ..small_config()
    })
    .await;
    let org = &env.m.orgs[0];
    let bodies = [
        json!(null),
        json!(0),
        json!(""),
        json!([]),
        json!({}),
        json!([null]),
        json!({"tag": null, "name": null, "restrictions": null}),
        json!({"restrictions": {"allowedOrigins": [null, 1, [], {}]}}),
        json!({"assistantId": 5}),
        json!({"assistantId": "x", "assistant": {}}),
        json!({"assistant": "string"}),
        json!({"assistant": {"name": ["a"]}}),
        json!({"assistant": {"model": {"messages": [null]}}, "assistantOverrides": 3}),
        json!({"name": "\u{0}\u{ffff}".repeat(30)}),
        json!({"billingLimit": 1e308}),
        json!({"squadId": "s"}),
        json!({"limit": -1}),
        json!({"deep": [[[[[[[[[[]]]]]]]]]]}),
    ];
    let call_id = env.sim.handle().calls(&org.id)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paths = [
        "/org".to_owned(),
        format!("/org/{}", org.id),
        "/token".into(),
        format!("/token/{}", org.public_keys[0].id),
        "/assistant".into(),
        format!("/assistant/{}", org.assistants[0].id),
        "/call".into(),
        "/call/web".into(),
        format!("/call/{call_id}"),
        "/call/%00".into(),
        "/token/..%2F..".into(),
        "/call?limit=%FF&createdAtGt=%00".into(),
        "/call?id=&assistantId=&phoneNumberId=".into(),
    ];
    let keys = [
        org.private_key.as_str(),
        org.public_keys[0].value.as_str(),
        "a.b.c",
        "",
    ];
    for path in &paths {
        for method in [Method::GET, Method::POST, Method::PATCH] {
            for body in &bodies {
                for key in keys {
                    let r = env
                        .req(
                            method.clone(),
                            path,
                            Some(key),
                            Some(body),
                            Some("https://x.example"),
                        )
                        .await;
                    assert!(
                        r.status.as_u16() < 500,
                        "{method} {path} {body}: {} {}",
                        r.status,
                        r.text
                    );
                    let v: Value = serde_json::from_str(&r.text).unwrap_or_else(|e| {
                        panic!("{method} {path} {body}: not JSON ({e}): {}", r.text)
                    });
                    if !r.status.is_success() {
                        assert_eq!(v["statusCode"], r.status.as_u16(), "{v}");
                    }
                }
            }
        }
    }
    env.sim.shutdown().await;
}
