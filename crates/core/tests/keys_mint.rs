//! Test JWTs minted inside core (the private key never leaves it), used against the simulator
//! exactly as a browser would: from the allowed site they start calls, from anywhere else not.

#[path = "keys_support/mod.rs"]
mod keys_support;

use std::sync::Arc;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::error::Code;
use agencydesk_core::jwt::JwtTtl;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::{AuditPolicy, KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::sensitive::SecretKey;
use keys_support::web_call;
use serde_json::json;
use vapi_sim::{Faults, Sim, SimConfig};

const SITE: &str = "https://acme.example";
const OTHER: &str = "https://copycat.example";

async fn linked_org() -> (Sim, Agency, tempfile::TempDir) {
    linked_org_with_clock(0).await
}

/// A linked org whose Vapi's clock is `skew_secs` ahead of this machine's (negative: behind).
async fn linked_org_with_clock(skew_secs: i64) -> (Sim, Agency, tempfile::TempDir) {
    let config = SimConfig {
        orgs: 1,
        days: 1,
        calls_per_day: 1,
        faults: Faults {
            clock_skew_secs: skew_secs,
            ..Faults::default()
        },
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new())).unwrap();
    let org = sim.manifest().orgs[0].clone();
    // A second assistant, so "an assistant the key does not allow" always exists.
    let created = reqwest::Client::new()
        .post(format!("{}/assistant", sim.url()))
        .bearer_auth(&org.private_key)
        .json(&json!({ "name": "Second line" }))
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    (sim, agency, data)
}

fn policy() -> AuditPolicy {
    AuditPolicy::new(chrono::Utc::now())
}

#[tokio::test]
async fn a_minted_token_works_from_its_site_only_and_is_not_the_private_key() {
    let (sim, agency, _data) = linked_org().await;
    let org = sim.manifest().orgs[0].clone();
    let assistant = org.assistants[0].id.clone();
    let restrictions = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(&assistant)
        .build()
        .unwrap();
    let minted = agency
        .mint_test_jwt(&org.id, &restrictions, JwtTtl::default())
        .await
        .unwrap();
    assert!(!minted.token.contains(&org.private_key));
    assert_eq!((minted.expires_at - minted.issued_at).num_seconds(), 600);
    let body = json!({ "assistantId": assistant });
    assert_eq!(web_call(&sim, &minted.token, SITE, body.clone()).await, 201);
    assert_eq!(web_call(&sim, &minted.token, OTHER, body).await, 403);
}

/// Vapi judges a token's `iat` and `exp` by its own clock: with this machine's clock 10 minutes
/// behind, a token timed by it would reach Vapi already expired (the default lifetime is 10
/// minutes); with it 10 minutes ahead, Vapi would see a token issued in the future.
#[tokio::test]
async fn tokens_are_timed_by_vapis_clock_when_ours_is_ten_minutes_off() {
    for skew in [600, -600] {
        let (sim, agency, _data) = linked_org_with_clock(skew).await;
        let org = sim.manifest().orgs[0].clone();
        let assistant = org.assistants[0].id.clone();
        let restrictions = KeyRestrictions::builder()
            .parse_origin(SITE)
            .unwrap()
            .assistant(&assistant)
            .build()
            .unwrap();
        let minted = agency
            .mint_test_jwt(&org.id, &restrictions, JwtTtl::default())
            .await
            .unwrap();
        let vapi_now = chrono::Utc::now() + chrono::TimeDelta::seconds(skew);
        let off = (minted.issued_at - vapi_now).num_seconds().abs();
        assert!(
            off <= 2,
            "skew {skew}: issued {} vs Vapi's {vapi_now}",
            minted.issued_at
        );
        let body = json!({ "assistantId": assistant });
        assert_eq!(
            web_call(&sim, &minted.token, SITE, body).await,
            201,
            "skew {skew}"
        );
    }
}

#[tokio::test]
async fn a_token_for_a_key_keeps_its_sites_and_narrows_to_one_assistant() {
    let (sim, agency, _data) = linked_org().await;
    let org = sim.manifest().orgs[0].clone();
    let view = agency.get_client(&org.id).unwrap();
    let allowed = view.assistants[0].id.clone();
    let other = view
        .assistants
        .iter()
        .find(|a| a.id != allowed)
        .unwrap()
        .id
        .clone();
    let both = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(&allowed)
        .assistant(&other)
        .build()
        .unwrap();
    let key = agency
        .create_public_key(&org.id, "Site", &both, &policy())
        .await
        .unwrap();
    let ttl: JwtTtl = "2m".parse().unwrap();
    let minted = agency
        .mint_test_jwt_for_key(&org.id, &key.id, &allowed, ttl)
        .await
        .unwrap();
    assert_eq!((minted.expires_at - minted.issued_at).num_seconds(), 120);
    let start = |id: &str| json!({ "assistantId": id });
    assert_eq!(
        web_call(&sim, &minted.token, SITE, start(&allowed)).await,
        201
    );
    assert_eq!(
        web_call(&sim, &minted.token, SITE, start(&other)).await,
        403,
        "the token is narrowed to the assistant it was minted for"
    );
    assert_eq!(
        web_call(&sim, &minted.token, OTHER, start(&allowed)).await,
        403
    );

    // An assistant the key does not allow, a key open to every site, an unknown org.
    let narrow = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .assistant(&allowed)
        .build()
        .unwrap();
    let narrow = agency
        .create_public_key(&org.id, "Narrow", &narrow, &policy())
        .await
        .unwrap();
    let refused = agency
        .mint_test_jwt_for_key(&org.id, &narrow.id, &other, ttl)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidInput);
    assert!(refused.to_string().contains("may not start"), "{refused}");

    let open = KeyRestrictions::builder()
        .allow_any_origin(UnrestrictedOverride::new("embedded in partner sites").unwrap())
        .assistant(&allowed)
        .build()
        .unwrap();
    let open = agency
        .create_public_key(&org.id, "Open", &open, &policy())
        .await
        .unwrap();
    let refused = agency
        .mint_test_jwt_for_key(&org.id, &open.id, &allowed, ttl)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("any website"), "{refused}");

    let missing = agency
        .mint_test_jwt_for_key("org-nope", &key.id, &allowed, ttl)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}
