//! Key scoping, key kinds, account-wide orgs, revocation and JWTs.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use vapi_sim::jwt::{sign_hs256, sign_with_header};

#[tokio::test]
async fn a_key_sees_only_its_own_org() {
    let env = start(small_config()).await;
    let (a, b) = (&env.m.orgs[0], &env.m.orgs[1]);
    let calls_b = env.sim.handle().calls(&b.id);
    let call_b = calls_b[0]["id"].as_str().unwrap();

    // Org B's own key sees its call, assistant and token.
    assert_eq!(
        env.get(&format!("/call/{call_b}"), &b.private_key)
            .await
            .status,
        200
    );
    for path in [
        format!("/call/{call_b}"),
        format!("/assistant/{}", b.assistants[0].id),
        format!("/token/{}", b.public_keys[0].id),
    ] {
        let r = env.get(&path, &a.private_key).await;
        r.error(404);
    }
    let r = env
        .req(
            Method::DELETE,
            &format!("/call/{call_b}"),
            Some(&a.private_key),
            None,
            None,
        )
        .await;
    r.error(404);
    assert_eq!(env.sim.handle().call_count(&b.id), calls_b.len());

    // Listing only returns the caller's org.
    let list = env.get("/call?limit=1000", &a.private_key).await.json();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["orgId"] == a.id.as_str()));
    env.sim.shutdown().await;
}

#[tokio::test]
async fn bad_missing_and_public_keys_are_401_outside_call_web() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let msgs = env.get("/call", "not-a-key").await.error(401);
    assert!(msgs[0].starts_with("Invalid Key"), "{msgs:?}");
    env.req(Method::GET, "/call", None, None, None)
        .await
        .error(401);
    let r = env
        .http
        .get(env.url("/call"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let public = &org.public_keys[0].value;
    for path in ["/call", "/assistant", "/token", "/org"] {
        env.get(path, public).await.error(401);
    }
    env.post("/token", public, &json!({"tag": "public"}))
        .await
        .error(401);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn get_org_lists_the_account_and_post_org_adds_one() {
    let env = start(small_config()).await;
    let agency = &env.m.agency;
    let list = env.get("/org", &agency.private_key).await.json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1 + env.m.orgs.len());
    assert_eq!(ids[0], agency.id);
    for o in &env.m.orgs {
        assert!(ids.contains(&o.id.as_str()));
    }
    // A client org's key sees the same account.
    let from_client = env.get("/org", &env.m.orgs[2].private_key).await.json();
    assert_eq!(from_client, list);

    let created = env
        .post(
            "/org",
            &agency.private_key,
            &json!({"name": "New Client Co", "billingLimit": 100}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let org = created.json();
    let new_id = org["id"].as_str().unwrap().to_owned();
    assert_eq!(org["name"], "New Client Co");
    assert_eq!(org["billingLimit"], 100);
    assert!(!created.text.contains("privateKey"));
    let keys = env.sim.handle().private_keys(&new_id);
    assert_eq!(keys.len(), 1);
    assert!(
        !created.text.contains(&keys[0]),
        "the new key is not returned by the API"
    );

    let got = env
        .get(&format!("/org/{new_id}"), &agency.private_key)
        .await;
    assert_eq!(got.json()["id"], new_id.as_str());
    let empty = env.get("/call", &keys[0]).await.json();
    assert_eq!(empty, json!([]));
    let patched = env
        .req(
            Method::PATCH,
            &format!("/org/{new_id}"),
            Some(&keys[0]),
            Some(&json!({"name": "Renamed"})),
            None,
        )
        .await;
    assert_eq!(patched.json()["name"], "Renamed");
    assert_ne!(patched.json()["updatedAt"], org["updatedAt"]);

    // An org of another account is invisible: create a second account's org
    // is not possible through the API, so an unknown id stands in for it.
    env.get(
        "/org/00000000-0000-4000-8000-000000000000",
        &agency.private_key,
    )
    .await
    .error(404);
    env.get("/org/not-a-uuid", &agency.private_key)
        .await
        .error(400);

    let deleted = env
        .req(
            Method::DELETE,
            &format!("/org/{new_id}"),
            Some(&agency.private_key),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status, 200);
    env.get("/call", &keys[0]).await.error(401);
    env.get(&format!("/org/{new_id}"), &agency.private_key)
        .await
        .error(404);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn revoked_and_deleted_private_keys_stop_working() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let h = env.sim.handle();

    let extra = env
        .post(
            "/token",
            &org.private_key,
            &json!({"tag": "private", "name": "second"}),
        )
        .await;
    assert_eq!(extra.status, 201, "{}", extra.text);
    let extra = extra.json();
    let extra_key = extra["value"].as_str().unwrap().to_owned();
    assert_eq!(env.get("/call?limit=1", &extra_key).await.status, 200);
    assert!(h.private_keys(&org.id).contains(&extra_key));

    let del = env
        .req(
            Method::DELETE,
            &format!("/token/{}", extra["id"].as_str().unwrap()),
            Some(&org.private_key),
            None,
            None,
        )
        .await;
    assert_eq!(del.status, 200);
    env.get("/call?limit=1", &extra_key).await.error(401);

    assert!(h.revoke_private_key(&org.id, &org.private_key));
    assert!(!h.revoke_private_key(&org.id, &org.private_key));
    env.get("/call?limit=1", &org.private_key).await.error(401);
    env.sim.shutdown().await;
}

fn jwt_payload(org_id: &str, tag: &str, restrictions: Option<Value>, exp_offset_s: i64) -> Value {
    let mut token = json!({"tag": tag});
    if let Some(r) = restrictions {
        token["restrictions"] = r;
    }
    json!({"orgId": org_id, "token": token, "exp": chrono::Utc::now().timestamp() + exp_offset_s})
}

#[tokio::test]
async fn jwts_signed_with_a_private_key() {
    let env = start(small_config()).await;
    let org = &env.m.orgs[0];
    let assistant = &org.assistants[0].id;
    let body = json!({"assistantId": assistant});

    let public = sign_hs256(&org.private_key, &jwt_payload(&org.id, "public", None, 600));
    let r = env.web_call(&public, &body, None).await;
    assert_eq!(r.status, 201, "{}", r.text);
    env.get("/call", &public).await.error(401);

    // A public JWT carries its own restrictions.
    let restricted = sign_hs256(
        &org.private_key,
        &jwt_payload(
            &org.id,
            "public",
            Some(json!({"allowedOrigins": ["https://ok.example"]})),
            600,
        ),
    );
    assert_eq!(
        env.web_call(&restricted, &body, Some("https://ok.example"))
            .await
            .status,
        201
    );
    env.web_call(&restricted, &body, Some("https://evil.example"))
        .await
        .error(403);

    let private = sign_hs256(
        &org.private_key,
        &jwt_payload(&org.id, "private", None, 600),
    );
    assert_eq!(env.get("/call?limit=2", &private).await.status, 200);

    let expired = sign_hs256(&org.private_key, &jwt_payload(&org.id, "public", None, -5));
    env.web_call(&expired, &body, None).await.error(401);
    let wrong_key = sign_hs256(
        &env.m.orgs[1].private_key,
        &jwt_payload(&org.id, "public", None, 600),
    );
    env.web_call(&wrong_key, &body, None).await.error(401);
    let public_key_secret = sign_hs256(
        &org.public_keys[0].value,
        &jwt_payload(&org.id, "public", None, 600),
    );
    env.web_call(&public_key_secret, &body, None)
        .await
        .error(401);
    let none = sign_with_header(
        &org.private_key,
        &json!({"alg": "none", "typ": "JWT"}),
        &jwt_payload(&org.id, "private", None, 600),
    );
    env.get("/call", &none).await.error(401);
    let unsigned = format!("{}.", none.rsplit_once('.').unwrap().0);
    env.get("/call", &unsigned).await.error(401);
    let hs512 = sign_with_header(
        &org.private_key,
        &json!({"alg": "HS512"}),
        &jwt_payload(&org.id, "private", None, 600),
    );
    env.get("/call", &hs512).await.error(401);

    // Revoking the signing key invalidates JWTs signed with it.
    env.sim
        .handle()
        .revoke_private_key(&org.id, &org.private_key);
    env.web_call(&public, &body, None).await.error(401);
    env.sim.shutdown().await;
}
