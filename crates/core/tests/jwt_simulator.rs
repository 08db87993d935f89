//! Minted public JWTs against the simulator's `POST /call/web`: accepted within their
//! restrictions until they expire, refused otherwise.

#[path = "keys_support/mod.rs"]
mod keys_support;

use std::time::Duration;

use agencydesk_core::jwt::{mint_public_jwt, JwtTtl};
use agencydesk_core::keys::KeyRestrictions;
use agencydesk_core::sensitive::SecretKey;
use chrono::Utc;
use keys_support::web_call;
use serde_json::json;
use vapi_sim::{Sim, SimConfig};

const SITE: &str = "http://client-a.localhost:8080";

async fn sim() -> Sim {
    let config = SimConfig {
        orgs: 1,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn minted_jwt_works_within_its_restrictions_until_it_expires() {
    let sim = sim().await;
    let org = sim.manifest().orgs[0].clone();
    let assistant = &org.assistants[0].id;
    let restrictions = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(assistant)
        .build()
        .unwrap();
    let key = SecretKey::new(org.private_key.clone());
    let ttl = JwtTtl::new(Duration::from_secs(60)).unwrap();
    let fresh = mint_public_jwt(&org.id, &key, &restrictions, ttl, Utc::now()).unwrap();
    let body = json!({ "assistantId": assistant });

    assert_eq!(web_call(&sim, &fresh.token, SITE, body.clone()).await, 201);
    assert_eq!(
        web_call(
            &sim,
            &fresh.token,
            "http://evil.localhost:8080",
            body.clone()
        )
        .await,
        403
    );
    let other = json!({ "assistantId": org.assistants[1].id });
    assert_eq!(web_call(&sim, &fresh.token, SITE, other).await, 403);

    // Minted two minutes ago with a one-minute life: expired.
    let stale_start = Utc::now() - chrono::Duration::seconds(120);
    let expired = mint_public_jwt(&org.id, &key, &restrictions, ttl, stale_start).unwrap();
    assert_eq!(
        web_call(&sim, &expired.token, SITE, body.clone()).await,
        401
    );

    // Signed with another org's key, or a made-up one: not accepted.
    let forged = mint_public_jwt(
        &org.id,
        &SecretKey::new("not-the-org-key".to_owned()),
        &restrictions,
        ttl,
        Utc::now(),
    )
    .unwrap();
    assert_eq!(web_call(&sim, &forged.token, SITE, body).await, 401);
}

#[tokio::test]
async fn a_public_jwt_cannot_reach_private_endpoints() {
    let sim = sim().await;
    let org = sim.manifest().orgs[0].clone();
    let restrictions = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(&org.assistants[0].id)
        .build()
        .unwrap();
    let jwt = mint_public_jwt(
        &org.id,
        &SecretKey::new(org.private_key.clone()),
        &restrictions,
        JwtTtl::default(),
        Utc::now(),
    )
    .unwrap();
    let status = reqwest::Client::new()
        .get(format!("{}/assistant", sim.url()))
        .bearer_auth(&jwt.token)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 401);
}

/// The token a generated JWT-mode backend mints (here the Python one, run for real) is
/// accepted by the simulator from the allowed site and refused elsewhere.
#[tokio::test]
async fn tokens_from_the_generated_python_backend_are_accepted() {
    use agencydesk_core::snippets::{generate, PrivateKeyGuard, SnippetKind, SnippetRequest};

    let sim = sim().await;
    let org = sim.manifest().orgs[0].clone();
    let assistant = &org.assistants[0];
    let restrictions = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(&assistant.id)
        .build()
        .unwrap();
    let request = SnippetRequest {
        kind: SnippetKind::JwtPython,
        org_id: org.id.clone(),
        public_key_value: None,
        assistant_id: assistant.id.clone(),
        assistant_name: assistant.name.clone(),
        client_name: org.name.clone(),
        api_base_url: Some(sim.url()),
        restrictions,
        site_origin: None,
        token_ttl: JwtTtl::default(),
    };
    let guard = PrivateKeyGuard::new([SecretKey::new(org.private_key.clone()).fingerprint()]);
    let snippet = generate(&request, &guard).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vapi_token_server.py"), &snippet.code).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys, vapi_token_server as s; sys.stdout.write(s.mint_public_token(sys.argv[1])['token'])"])
        .arg(&org.private_key)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap();
    let body = json!({ "assistantId": assistant.id });
    assert_eq!(web_call(&sim, &token, SITE, body.clone()).await, 201);
    assert_eq!(
        web_call(&sim, &token, "http://evil.localhost:8080", body).await,
        403
    );
}
