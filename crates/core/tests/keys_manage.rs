//! Managing public keys against the simulator over HTTP, with a real SQLite file: what the
//! app stores and shows must match what Vapi enforces on `POST /call/web`.

#[path = "keys_support/mod.rs"]
mod keys_support;

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::jwt::JwtTtl;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::{AuditPolicy, FindingKind, KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::public_keys::{IfInUse, PublicKeyView, SnippetChoice};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::snippets::{SnippetError, SnippetKind};
use agencydesk_core::vapi::{ClientOptions, VapiClient};
use keys_support::web_call;
use serde_json::json;
use vapi_sim::{OrgEntry, Sim, SimConfig};

const SITE: &str = "https://acme.example";
const SITE_WWW: &str = "https://www.acme.example";

struct Fixture {
    sim: Sim,
    agency: Agency,
    _data: tempfile::TempDir,
}

impl Fixture {
    fn org(&self, i: usize) -> OrgEntry {
        self.sim.manifest().orgs[i].clone()
    }
}

async fn fixture(link: usize) -> Fixture {
    let config = SimConfig {
        orgs: 2,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new()))
        .unwrap()
        .with_client_options(ClientOptions {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..ClientOptions::default()
        });
    for org in sim.manifest().orgs.iter().take(link) {
        agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    Fixture {
        sim,
        agency,
        _data: data,
    }
}

fn policy() -> AuditPolicy {
    AuditPolicy::new(chrono::Utc::now())
}

fn site_key(assistant_id: &str) -> KeyRestrictions {
    KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .parse_origin(SITE_WWW)
        .unwrap()
        .assistant(assistant_id)
        .build()
        .unwrap()
}

fn value(key: &PublicKeyView) -> &str {
    key.value.as_deref().unwrap()
}

/// Deletes the simulator's seeded public keys so a test controls every key of the org.
async fn remove_seeded_keys(f: &Fixture, org_id: &str) {
    for key in f
        .agency
        .refresh_public_keys(org_id, &policy())
        .await
        .unwrap()
    {
        f.agency
            .delete_public_key(org_id, &key.id, IfInUse::Proceed)
            .await
            .unwrap();
    }
    assert!(f.agency.public_keys(org_id, &policy()).unwrap().is_empty());
}

#[tokio::test]
async fn created_key_is_listed_described_and_enforced_by_vapi() {
    let f = fixture(1).await;
    let org = f.org(0);
    let assistant = &org.assistants[0];
    let created = f
        .agency
        .create_public_key(&org.id, "Acme website", &site_key(&assistant.id), &policy())
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("Acme website"));
    assert!(created.enabled);
    assert!(created.findings.is_empty(), "{:?}", created.findings);
    assert_eq!(
        created.summary.sentence,
        format!(
            "Only {SITE} and {SITE_WWW} may start {}. Transient assistants are refused.",
            assistant.name
        )
    );

    // Stored: listed offline with the same view.
    let listed = f.agency.public_keys(&org.id, &policy()).unwrap();
    assert_eq!(listed.iter().find(|k| k.id == created.id), Some(&created));

    // Enforced by Vapi exactly as described.
    let key = value(&created);
    let ok = json!({ "assistantId": assistant.id });
    assert_eq!(web_call(&f.sim, key, SITE, ok.clone()).await, 201);
    assert_eq!(web_call(&f.sim, key, SITE_WWW, ok.clone()).await, 201);
    assert_eq!(web_call(&f.sim, key, "https://evil.example", ok).await, 403);
    let other = json!({ "assistantId": org.assistants[1].id });
    assert_eq!(web_call(&f.sim, key, SITE, other).await, 403);
    let transient = json!({ "assistant": { "firstMessage": "hi", "model": { "provider": "openai", "model": "gpt-4o" } } });
    assert_eq!(web_call(&f.sim, key, SITE, transient).await, 403);
}

#[tokio::test]
async fn names_are_checked_before_anything_is_created() {
    let f = fixture(1).await;
    let org = f.org(0);
    let err = f
        .agency
        .create_public_key(&org.id, &"x".repeat(41), &site_key("a"), &policy())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("40 characters"), "{err}");
}

#[tokio::test]
async fn the_last_working_key_is_not_switched_off_or_deleted_by_accident() {
    let f = fixture(1).await;
    let org = f.org(0);
    remove_seeded_keys(&f, &org.id).await;
    let assistant = &org.assistants[0].id;
    let only = f
        .agency
        .create_public_key(&org.id, "Site", &site_key(assistant), &policy())
        .await
        .unwrap();

    let refused = f
        .agency
        .set_public_key_enabled(&org.id, &only.id, false, IfInUse::Refuse, &policy())
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("only working public key"),
        "{refused}"
    );
    let refused = f
        .agency
        .delete_public_key(&org.id, &only.id, IfInUse::Refuse)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("only working public key"),
        "{refused}"
    );
    let body = json!({ "assistantId": assistant });
    assert_eq!(
        web_call(&f.sim, value(&only), SITE, body.clone()).await,
        201,
        "still working"
    );

    // Confirmed: it goes off, and Vapi stops accepting it; back on, it works again.
    let off = f
        .agency
        .set_public_key_enabled(&org.id, &only.id, false, IfInUse::Proceed, &policy())
        .await
        .unwrap();
    assert!(!off.enabled);
    assert_eq!(off.findings[0].kind, FindingKind::DisabledButPresent);
    assert_ne!(
        web_call(&f.sim, value(&only), SITE, body.clone()).await,
        201
    );
    let on = f
        .agency
        .set_public_key_enabled(&org.id, &only.id, true, IfInUse::Refuse, &policy())
        .await
        .unwrap();
    assert!(on.enabled);
    assert_eq!(
        on.restrictions.allowed_origins,
        off.restrictions.allowed_origins
    );
    assert_eq!(web_call(&f.sim, value(&only), SITE, body).await, 201);
}

#[tokio::test]
async fn a_key_in_use_is_turned_off_before_it_is_deleted() {
    let f = fixture(1).await;
    let org = f.org(0);
    remove_seeded_keys(&f, &org.id).await;
    let assistant = &org.assistants[0].id;
    let a = f
        .agency
        .create_public_key(&org.id, "A", &site_key(assistant), &policy())
        .await
        .unwrap();
    let b = f
        .agency
        .create_public_key(&org.id, "B", &site_key(assistant), &policy())
        .await
        .unwrap();

    let refused = f
        .agency
        .delete_public_key(&org.id, &a.id, IfInUse::Refuse)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("Turn the key off"),
        "{refused}"
    );
    // Another key works, so turning A off needs no confirmation.
    f.agency
        .set_public_key_enabled(&org.id, &a.id, false, IfInUse::Refuse, &policy())
        .await
        .unwrap();
    f.agency
        .delete_public_key(&org.id, &a.id, IfInUse::Refuse)
        .await
        .unwrap();

    let left: Vec<String> = f
        .agency
        .public_keys(&org.id, &policy())
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(left, [b.id.as_str()]);
    let body = json!({ "assistantId": assistant });
    assert_eq!(
        web_call(&f.sim, value(&a), SITE, body).await,
        401,
        "a deleted key is unknown"
    );
    let missing = f
        .agency
        .delete_public_key(&org.id, &a.id, IfInUse::Proceed)
        .await
        .unwrap_err();
    assert!(missing.to_string().contains("no public key"), "{missing}");
}

#[tokio::test]
async fn editing_restrictions_keeps_a_disabled_key_disabled() {
    let f = fixture(1).await;
    let org = f.org(0);
    let assistant = &org.assistants[0].id;
    let key = f
        .agency
        .create_public_key(&org.id, "Site", &site_key(assistant), &policy())
        .await
        .unwrap();
    f.agency
        .set_public_key_enabled(&org.id, &key.id, false, IfInUse::Proceed, &policy())
        .await
        .unwrap();
    let wider = KeyRestrictions::builder()
        .parse_origin(SITE)
        .unwrap()
        .parse_origin("https://shop.acme.example")
        .unwrap()
        .assistants([assistant.as_str(), org.assistants[1].id.as_str()])
        .build()
        .unwrap();
    let edited = f
        .agency
        .update_public_key(&org.id, &key.id, Some("Site and shop"), &wider, &policy())
        .await
        .unwrap();
    assert!(!edited.enabled, "an edit must not switch the key back on");
    assert_eq!(edited.name.as_deref(), Some("Site and shop"));
    assert_eq!(
        edited.restrictions.allowed_origins,
        Some(vec![
            SITE.to_owned(),
            "https://shop.acme.example".to_owned()
        ])
    );
    assert_eq!(
        edited.restrictions.allowed_assistant_ids.map(|a| a.len()),
        Some(2)
    );
}

#[tokio::test]
async fn rotation_creates_an_equal_key_and_only_then_retires_the_old_one() {
    let f = fixture(1).await;
    let org = f.org(0);
    let assistant = &org.assistants[0].id;
    let old = f
        .agency
        .create_public_key(&org.id, "Website", &site_key(assistant), &policy())
        .await
        .unwrap();

    let start = f
        .agency
        .start_key_rotation(&org.id, &old.id, &policy())
        .await
        .unwrap();
    let new = &start.new_key;
    assert_ne!(new.id, old.id);
    assert_ne!(new.value, old.value);
    assert_eq!(new.restrictions, old.restrictions);
    assert!(new
        .name
        .as_deref()
        .unwrap()
        .starts_with("Website (rotated "));
    assert_eq!(
        start.snippets_to_update,
        [
            SnippetKind::ScriptTag,
            SnippetKind::WebSdk,
            SnippetKind::React
        ]
    );
    let body = json!({ "assistantId": assistant });
    assert_eq!(
        web_call(&f.sim, value(&old), SITE, body.clone()).await,
        201,
        "old still works"
    );
    assert_eq!(web_call(&f.sim, value(new), SITE, body.clone()).await, 201);

    // A wrong or missing replacement leaves the old key on.
    let refused = f
        .agency
        .finish_key_rotation(&org.id, &old.id, "no-such-key", &policy())
        .await;
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("old key stays on"));
    let refused = f
        .agency
        .finish_key_rotation(&org.id, &old.id, &old.id, &policy())
        .await;
    assert!(refused.is_err());
    assert_eq!(web_call(&f.sim, value(&old), SITE, body.clone()).await, 201);

    let retired = f
        .agency
        .finish_key_rotation(&org.id, &old.id, &new.id, &policy())
        .await
        .unwrap();
    assert!(!retired.enabled);
    assert_ne!(web_call(&f.sim, value(&old), SITE, body.clone()).await, 201);
    assert_eq!(web_call(&f.sim, value(new), SITE, body).await, 201);
    // The old key is kept (switched off) until deleted.
    let ids: Vec<String> = f
        .agency
        .public_keys(&org.id, &policy())
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert!(ids.contains(&old.id) && ids.contains(&new.id));
}

#[tokio::test]
async fn audit_covers_every_org_and_notices_a_revoked_private_key() {
    let f = fixture(2).await;
    let (clean, revoked) = (f.org(0), f.org(1));
    remove_seeded_keys(&f, &clean.id).await;
    f.agency
        .create_public_key(
            &clean.id,
            "Site",
            &site_key(&clean.assistants[0].id),
            &policy(),
        )
        .await
        .unwrap();
    let consent = UnrestrictedOverride::new("staging key used from many hosts").unwrap();
    let open = KeyRestrictions::builder()
        .allow_any_origin(consent)
        .assistant(&clean.assistants[0].id)
        .build()
        .unwrap();
    let open_key = f
        .agency
        .create_public_key(&clean.id, "Open", &open, &policy())
        .await
        .unwrap();

    // Revoke the second org's private key at Vapi, as someone might in the dashboard.
    let vapi = VapiClient::new(&f.sim.url(), SecretKey::new(revoked.private_key.clone())).unwrap();
    let own = vapi
        .list_tokens()
        .await
        .unwrap()
        .into_iter()
        .find(|t| {
            t.value
                .as_ref()
                .is_some_and(|v| v.expose() == &revoked.private_key)
        })
        .unwrap();
    vapi.delete_token(&own.id).await.unwrap();

    let report = f.agency.audit_keys(&policy()).await.unwrap();
    assert_eq!(report.orgs_checked, 2);
    assert!(report.unchecked.is_empty(), "{:?}", report.unchecked);
    let first = &report.findings[0];
    assert_eq!(first.severity, agencydesk_core::keys::Severity::High);
    let revoked_findings: Vec<FindingKind> = report
        .findings
        .iter()
        .filter(|f| f.org_id == revoked.id && f.key_id.is_none())
        .map(|f| f.kind)
        .collect();
    assert_eq!(revoked_findings, [FindingKind::PrivateKeyNotWorking]);
    let clean_findings: Vec<(Option<&str>, FindingKind)> = report
        .findings
        .iter()
        .filter(|f| f.org_id == clean.id)
        .map(|f| (f.key_id.as_deref(), f.kind))
        .collect();
    assert_eq!(
        clean_findings,
        [(Some(open_key.id.as_str()), FindingKind::NoOriginRestriction)]
    );
    assert!(report.keys_checked >= 2);
}

#[tokio::test]
async fn snippets_come_from_the_stored_key_and_never_carry_a_private_key() {
    let f = fixture(1).await;
    let org = f.org(0);
    let assistant = &org.assistants[0];
    let key = f
        .agency
        .create_public_key(&org.id, "Site", &site_key(&assistant.id), &policy())
        .await
        .unwrap();
    let choice = |kind| SnippetChoice {
        kind,
        key_id: Some(key.id.clone()),
        assistant_id: assistant.id.clone(),
        site_origin: Some(SITE.to_owned()),
        token_ttl: JwtTtl::default(),
        api_base_url: None,
    };
    let web = f
        .agency
        .snippet(&org.id, &choice(SnippetKind::WebSdk))
        .unwrap();
    assert!(web.code.contains(value(&key)));
    assert!(
        web.code.contains(&format!("\"{}\"", f.sim.url())),
        "points at the org's API"
    );
    assert!(web.warnings.is_empty(), "{:?}", web.warnings);
    let jwt = f
        .agency
        .snippet(&org.id, &choice(SnippetKind::JwtPython))
        .unwrap();
    assert!(!jwt.code.contains(value(&key)));
    assert!(jwt.code.contains(&org.id));

    let mut unknown = choice(SnippetKind::React);
    unknown.assistant_id = "asst-nope".to_owned();
    assert!(f.agency.snippet(&org.id, &unknown).is_err());
    let mut elsewhere = choice(SnippetKind::WebSdk);
    elsewhere.site_origin = Some("https://other.example".to_owned());
    let warned = f.agency.snippet(&org.id, &elsewhere).unwrap();
    assert!(warned.warnings[0].contains("https://other.example"));

    // JWT mode without a key: the tokens allow exactly the site and the assistant asked for.
    let mut keyless = choice(SnippetKind::JwtNode);
    keyless.key_id = None;
    let from_site = f.agency.snippet(&org.id, &keyless).unwrap();
    assert!(from_site.code.contains(SITE), "{}", from_site.code);
    keyless.site_origin = None;
    assert!(
        f.agency.snippet(&org.id, &keyless).is_err(),
        "no key, no site"
    );
    keyless.kind = SnippetKind::WebSdk;
    keyless.site_origin = Some(SITE.to_owned());
    assert!(
        f.agency.snippet(&org.id, &keyless).is_err(),
        "web-sdk embeds a key"
    );
    let mut proxied = choice(SnippetKind::WebSdk);
    proxied.api_base_url = Some("https://proxy.example".to_owned());
    let proxied = f.agency.snippet(&org.id, &proxied).unwrap();
    assert!(
        proxied.code.contains("https://proxy.example"),
        "{}",
        proxied.code
    );

    let guard = f.agency.snippet_guard().unwrap();
    assert_eq!(
        guard.check_public_key(&org.private_key),
        Err(SnippetError::PrivateKeyRefused)
    );
    assert_eq!(guard.check_public_key(value(&key)), Ok(()));
}
