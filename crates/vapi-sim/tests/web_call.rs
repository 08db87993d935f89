//! `POST /call/web`: public key restrictions, CORS, and the created call.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn seeded_restricted_key_enforces_origin_and_assistant() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let tokens = env.tokens(&org.private_key).await;
    let widget = tokens
        .iter()
        .find(|t| t["tag"] == "public" && t["restrictions"]["allowedOrigins"].is_array())
        .expect("a restricted public key");
    let key = widget["value"].as_str().unwrap();
    let r = &widget["restrictions"];
    let origins = strs(&r["allowedOrigins"]);
    let allowed_ids = strs(&r["allowedAssistantIds"]);
    assert_eq!(r["allowTransientAssistant"], false);
    let good = json!({"assistantId": allowed_ids[0]});

    // Allowed origin and assistant: a real call of the org.
    let created = env.web_call(key, &good, Some(&origins[0])).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let call = created.json();
    assert_eq!(call["type"], "webCall");
    assert_eq!(call["status"], "queued");
    assert_eq!(call["orgId"], org.id.as_str());
    let id = call["id"].as_str().unwrap();
    assert!(call["webCallUrl"]
        .as_str()
        .unwrap()
        .starts_with("https://sim.daily.co/"));
    let listed = env.get("/call?limit=5", &org.private_key).await.json();
    assert_eq!(listed[0]["id"], id, "the new web call is the newest call");
    assert_eq!(listed[0]["type"], "webCall");
    assert_eq!(
        env.get(&format!("/call/{id}"), &org.private_key)
            .await
            .json()["id"],
        id
    );

    // Other origin, a look-alike, or none at all: 403.
    for origin in [
        Some("https://evil.example"),
        Some("https://acme-dental.com.evil.example"),
        None,
    ] {
        let msgs = env.web_call(key, &good, origin).await.error(403);
        assert!(msgs[0].contains("Origin"), "{msgs:?}");
    }
    let trailing = format!("{}/", origins[0]);
    env.web_call(key, &good, Some(&trailing)).await.error(403);

    // An assistant of the org that the key does not allow: 403.
    if let Some(other) = org.assistants.iter().find(|a| !allowed_ids.contains(&a.id)) {
        let msgs = env
            .web_call(key, &json!({"assistantId": other.id}), Some(&origins[0]))
            .await
            .error(403);
        assert!(msgs[0].contains("Assistant"), "{msgs:?}");
    }
    // Another org's assistant is not in the list: 403, before any lookup.
    let foreign = &env.m.orgs[1].assistants[0].id;
    env.web_call(key, &json!({"assistantId": foreign}), Some(&origins[0]))
        .await
        .error(403);
    // Transient assistant with allowedAssistantIds: refused.
    let msgs = env
        .web_call(
            key,
            &json!({"assistant": {"name": "Sneaky", "firstMessage": "hi"}}),
            Some(&origins[0]),
        )
        .await
        .error(403);
    assert!(msgs[0].contains("Transient"), "{msgs:?}");
    env.sim.shutdown().await;
}

#[tokio::test]
async fn created_keys_disabled_transient_and_unrestricted() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let pk = &org.private_key;
    let assistant = json!({"assistantId": org.assistants[0].id});
    let transient = json!({"assistant": {"name": "Pop-up", "firstMessage": "Hello"}});

    let mk =
        |restrictions: Value| json!({"tag": "public", "name": "k", "restrictions": restrictions});
    let disabled = env
        .post("/token", pk, &mk(json!({"enabled": false})))
        .await
        .json();
    let msgs = env
        .web_call(disabled["value"].as_str().unwrap(), &assistant, None)
        .await
        .error(403);
    assert!(msgs[0].contains("Disabled"), "{msgs:?}");

    let no_transient = env
        .post("/token", pk, &mk(json!({"allowTransientAssistant": false})))
        .await
        .json();
    let k = no_transient["value"].as_str().unwrap();
    env.web_call(k, &transient, None).await.error(403);
    assert_eq!(env.web_call(k, &assistant, None).await.status, 201);

    // allowedAssistantIds forces allowTransientAssistant to false.
    let ids_only = env
        .post("/token", pk, &mk(json!({"allowedAssistantIds": [org.assistants[0].id], "allowTransientAssistant": true})))
        .await
        .json();
    assert_eq!(ids_only["restrictions"]["allowTransientAssistant"], false);
    env.web_call(ids_only["value"].as_str().unwrap(), &transient, None)
        .await
        .error(403);

    // Empty allowedOrigins means any origin, even none.
    let any_origin = env
        .post("/token", pk, &mk(json!({"allowedOrigins": []})))
        .await
        .json();
    assert_eq!(
        env.web_call(any_origin["value"].as_str().unwrap(), &assistant, None)
            .await
            .status,
        201
    );

    let open = env
        .post("/token", pk, &json!({"tag": "public"}))
        .await
        .json();
    let k = open["value"].as_str().unwrap();
    assert_eq!(
        env.web_call(k, &assistant, Some("https://anything.example"))
            .await
            .status,
        201
    );
    let t = env.web_call(k, &transient, None).await;
    assert_eq!(t.status, 201, "{}", t.text);
    assert_eq!(t.json()["assistant"]["name"], "Pop-up");
    assert!(t.json().get("assistantId").is_none());

    // The private key may create web calls too, without restrictions.
    assert_eq!(
        env.web_call(pk, &transient, Some("https://x.example"))
            .await
            .status,
        201
    );

    // Unknown assistant id: 400, not a crash.
    let r = env
        .web_call(
            k,
            &json!({"assistantId": "00000000-0000-4000-8000-000000000000"}),
            None,
        )
        .await;
    r.error(400);
    env.web_call(k, &json!({}), None).await.error(400);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn seeded_world_has_unsafe_and_disabled_public_keys() {
    let env = start(small_config()).await;
    let mut unrestricted = None;
    let mut disabled = 0;
    for org in &env.m.orgs {
        for t in env.tokens(&org.private_key).await {
            if t["tag"] != "public" {
                continue;
            }
            if t.get("restrictions").is_none() {
                unrestricted = Some((org.clone(), t["value"].as_str().unwrap().to_owned()));
            } else if t["restrictions"]["enabled"] == false {
                disabled += 1;
            }
        }
    }
    let (org, key) = unrestricted.expect("an unsafe key for audits to find");
    assert!(disabled > 0);
    let r = env
        .web_call(
            &key,
            &json!({"assistant": {"name": "Anything goes"}}),
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["orgId"], org.id.as_str());
    env.sim.shutdown().await;
}

#[tokio::test]
async fn cors_preflight_and_headers() {
    let env = start(small_config()).await;
    let r = env
        .http
        .request(Method::OPTIONS, env.url("/call/web"))
        .header("Origin", "http://client-a.localhost:8080")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type,x-custom",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let h = r.headers();
    assert_eq!(
        h["access-control-allow-origin"],
        "http://client-a.localhost:8080"
    );
    let methods = h["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("POST") && methods.contains("GET"));
    let headers = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for want in ["authorization", "content-type", "x-custom"] {
        assert!(headers.contains(want), "{headers}");
    }
    assert!(h.contains_key("access-control-max-age"));
    // Preflight on any path, without auth.
    let r = env
        .http
        .request(Method::OPTIONS, env.url("/whatever/path"))
        .header("Origin", "https://x.example")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        env.sim.handle().request_count(),
        0,
        "preflights are not counted"
    );

    // A refusal is readable by the page: it carries the CORS header too.
    let org = &env.m.orgs[0];
    let refused = env
        .web_call(
            &org.public_keys[0].value,
            &json!({"assistantId": org.assistants[0].id}),
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.headers["access-control-allow-origin"],
        "https://evil.example"
    );
    env.sim.shutdown().await;
}
