//! One-click audit fixes against the simulator: the fix changes what Vapi enforces, and a fix
//! the live key no longer needs is refused instead of applied blindly.

#[path = "keys_support/mod.rs"]
mod keys_support;

use std::sync::Arc;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::{AuditPolicy, FindingKind, Fix, KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::public_keys::FixOutcome;
use agencydesk_core::sensitive::SecretKey;
use keys_support::web_call;
use serde_json::json;
use vapi_sim::{Sim, SimConfig};

async fn linked() -> (Sim, Agency, String, tempfile::TempDir) {
    let config = SimConfig {
        orgs: 1,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new())).unwrap();
    let org = sim.manifest().orgs[0].clone();
    agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    (sim, agency, org.id, data)
}

fn policy() -> AuditPolicy {
    AuditPolicy::new(chrono::Utc::now())
}

fn fix_for(key: &agencydesk_core::public_keys::PublicKeyView, kind: FindingKind) -> Fix {
    key.findings
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} finding in {:?}", key.findings))
        .fix
        .clone()
}

#[tokio::test]
async fn refusing_transient_assistants_takes_effect_at_vapi() {
    let (sim, agency, org_id, _data) = linked().await;
    let consent = UnrestrictedOverride::new("any assistant, for a test bench").unwrap();
    let open = KeyRestrictions::builder()
        .parse_origin("https://acme.example")
        .unwrap()
        .allow_any_assistant(consent.clone())
        .allow_transient_assistants(consent)
        .build()
        .unwrap();
    let key = agency
        .create_public_key(&org_id, "Bench", &open, &policy())
        .await
        .unwrap();
    let transient = json!({ "assistant": { "name": "Made up", "firstMessage": "Hi" } });
    let value = key.value.clone().unwrap();
    assert_eq!(
        web_call(&sim, &value, "https://acme.example", transient.clone()).await,
        201
    );

    let fix = fix_for(&key, FindingKind::TransientAllowed);
    assert_eq!(fix, Fix::DisallowTransient);
    let FixOutcome::Updated { key: fixed } = agency
        .apply_fix(&org_id, &key.id, &fix, &policy())
        .await
        .unwrap()
    else {
        panic!("expected an updated key");
    };
    assert!(fixed
        .findings
        .iter()
        .all(|f| f.kind != FindingKind::TransientAllowed));
    assert_eq!(
        web_call(&sim, &value, "https://acme.example", transient).await,
        403
    );

    // The same fix again is stale: the live key no longer has that finding.
    let again = agency
        .apply_fix(&org_id, &key.id, &fix, &policy())
        .await
        .unwrap_err();
    assert!(again.to_string().contains("has changed"), "{again}");
}

#[tokio::test]
async fn development_origins_are_removed_from_a_production_key() {
    let (sim, agency, org_id, _data) = linked().await;
    let assistant = sim.manifest().orgs[0].assistants[0].id.clone();
    let mixed = KeyRestrictions::builder()
        .parse_origin("https://acme.example")
        .unwrap()
        .parse_origin("http://localhost:5173")
        .unwrap()
        .assistant(&assistant)
        .build()
        .unwrap();
    let key = agency
        .create_public_key(&org_id, "Mixed", &mixed, &policy())
        .await
        .unwrap();
    let value = key.value.clone().unwrap();
    let start = json!({ "assistantId": assistant });
    assert_eq!(
        web_call(&sim, &value, "http://localhost:5173", start.clone()).await,
        201
    );
    let fix = fix_for(&key, FindingKind::LocalhostWithProduction);
    agency
        .apply_fix(&org_id, &key.id, &fix, &policy())
        .await
        .unwrap();
    assert_eq!(
        web_call(&sim, &value, "http://localhost:5173", start.clone()).await,
        403
    );
    assert_eq!(
        web_call(&sim, &value, "https://acme.example", start).await,
        201
    );

    // A fix needing a choice is never applied in one click.
    let refused = agency
        .apply_fix(&org_id, &key.id, &Fix::ChooseOrigins, &policy())
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("needs your choice"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_disabled_key_is_deleted_and_an_old_one_rotated() {
    let (sim, agency, org_id, _data) = linked().await;
    let assistant = sim.manifest().orgs[0].assistants[0].id.clone();
    let site = KeyRestrictions::builder()
        .parse_origin("https://acme.example")
        .unwrap()
        .assistant(&assistant)
        .build()
        .unwrap();
    let key = agency
        .create_public_key(&org_id, "Old page", &site.with_enabled(false), &policy())
        .await
        .unwrap();
    let fix = fix_for(&key, FindingKind::DisabledButPresent);
    let outcome = agency
        .apply_fix(&org_id, &key.id, &fix, &policy())
        .await
        .unwrap();
    assert_eq!(
        outcome,
        FixOutcome::Deleted {
            key_id: key.id.clone()
        }
    );
    assert!(agency
        .public_keys(&org_id, &policy())
        .unwrap()
        .iter()
        .all(|k| k.id != key.id));

    let live = agency
        .create_public_key(&org_id, "Site", &site, &policy())
        .await
        .unwrap();
    // Every key is "too old" under a zero-day limit.
    let strict = AuditPolicy {
        max_key_age: chrono::Duration::zero(),
        ..policy()
    };
    let aged = agency
        .public_keys(&org_id, &strict)
        .unwrap()
        .into_iter()
        .find(|k| k.id == live.id)
        .unwrap();
    let fix = fix_for(&aged, FindingKind::OlderThanMaxAge);
    let FixOutcome::RotationStarted { rotation } = agency
        .apply_fix(&org_id, &live.id, &fix, &strict)
        .await
        .unwrap()
    else {
        panic!("expected a rotation");
    };
    assert_eq!(rotation.old_key.id, live.id);
    assert!(
        rotation.old_key.enabled,
        "the old key keeps working until finished"
    );
    assert_eq!(rotation.new_key.restrictions, live.restrictions);
}
