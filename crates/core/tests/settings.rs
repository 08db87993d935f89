//! Agency settings and client base URLs, on a real SQLite file in a temp folder.

use std::sync::{Arc, Mutex};

use agencydesk_core::agency::{
    Agency, Confirmer, HostConfirmer, NamedHosts, NoConfirmation, SettingsUpdate, TrustQuestion,
    DEFAULT_BACKGROUND_SYNC_MINUTES, DEFAULT_KEY_ROTATION_MAX_AGE_DAYS,
};
use agencydesk_core::billing::ThresholdKind;
use agencydesk_core::error::Code;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::audit::DEFAULT_MAX_KEY_AGE_DAYS;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::StoreError;

fn open(dir: &std::path::Path) -> Agency {
    Agency::open(dir, Arc::new(EphemeralKeychain::new())).unwrap()
}

fn update(days: u32) -> SettingsUpdate {
    SettingsUpdate {
        key_rotation_max_age_days: days,
    }
}

#[test]
fn defaults_until_saved_then_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let agency = open(dir.path());
    let fresh = agency.settings().unwrap();
    assert_eq!(fresh.key_rotation_max_age_days, 180);
    assert_eq!(
        fresh.background_sync_minutes,
        DEFAULT_BACKGROUND_SYNC_MINUTES
    );
    assert_eq!(fresh.updated_at, None);

    let saved = agency.update_settings(&update(90)).unwrap();
    assert_eq!(saved.key_rotation_max_age_days, 90);
    assert!(saved.updated_at.is_some());
    // Each setting is saved without touching the other.
    let saved = agency.set_background_sync_minutes(30).unwrap();
    assert_eq!(saved.background_sync_minutes, 30);
    assert_eq!(saved.key_rotation_max_age_days, 90);
    let saved = agency.update_settings(&update(60)).unwrap();
    assert_eq!(saved.background_sync_minutes, 30);
    drop(agency);

    // Another process (the CLI) opening the same folder sees the same values.
    let reopened = open(dir.path()).settings().unwrap();
    assert_eq!(reopened, saved);
}

#[test]
fn invalid_settings_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let agency = open(dir.path());
    let saved = agency.update_settings(&update(30)).unwrap();
    for bad in [update(0), update(3651)] {
        let err = agency.update_settings(&bad).unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad:?}");
    }
    for bad in [0, 4, 1441] {
        let err = agency.set_background_sync_minutes(bad).unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad}");
    }
    assert_eq!(agency.settings().unwrap(), saved);
}

/// The single spend alert of earlier versions becomes a threshold in USD per client org, once,
/// keeping a threshold already set; the agency's own org gets none.
#[tokio::test]
async fn the_old_spend_alert_is_folded_into_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let agency = with_org(dir.path());
    let own = ClientOrgRow {
        id: "org-own".into(),
        name: "Our agency".into(),
        kind: OrgKind::Agency,
        ..org_row("org-own")
    };
    let kept = org_row("org-2");
    agency
        .store()
        .write(|tx| {
            clients::upsert(tx, &own)?;
            clients::upsert(tx, &kept)
        })
        .unwrap();
    agency
        .set_spend_threshold(Some("org-2".into()), ThresholdKind::Amount, "75")
        .await
        .unwrap();
    // What an earlier version left in the settings row.
    agency
        .store()
        .read(|c| -> Result<usize, StoreError> {
            Ok(c.execute(
                "INSERT INTO agency_settings (id, key_rotation_max_age_days, spend_alert_usd, updated_at)
                 VALUES (1, 180, '250.50', '2026-11-22T00:00:00Z')",
                [],
            )?)
        })
        .unwrap();
    drop(agency);

    let agency = open(dir.path());
    let thresholds = agency.spend_thresholds().await.unwrap();
    let by_org: Vec<(Option<&str>, String)> = thresholds
        .iter()
        .map(|t| (t.org_id.as_deref(), t.value.to_string()))
        .collect();
    assert_eq!(
        by_org,
        [
            (Some("org-1"), "250.5".to_owned()),
            (Some("org-2"), "75".to_owned())
        ]
    );
    drop(agency);
    // Folded once: clearing a threshold is not undone by the next open.
    let agency = open(dir.path());
    agency
        .clear_spend_threshold(Some("org-1".into()), ThresholdKind::Amount)
        .await
        .unwrap();
    drop(agency);
    assert_eq!(open(dir.path()).spend_thresholds().await.unwrap().len(), 1);
}

/// Records every question and answers with `yes`.
struct Asked {
    yes: bool,
    questions: Mutex<Vec<TrustQuestion>>,
}

impl HostConfirmer for Asked {
    fn confirm(&self, question: &TrustQuestion) -> bool {
        self.questions.lock().unwrap().push(question.clone());
        self.yes
    }
}

fn asked(yes: bool) -> Arc<Asked> {
    Arc::new(Asked {
        yes,
        questions: Mutex::new(Vec::new()),
    })
}

fn stored_url(agency: &Agency) -> String {
    agency
        .store()
        .read(|c| clients::get(c, "org-1"))
        .unwrap()
        .unwrap()
        .base_url
}

fn org_row(id: &str) -> ClientOrgRow {
    ClientOrgRow {
        id: id.into(),
        name: format!("Client {id}"),
        base_url: "https://api.vapi.ai".into(),
        key_fingerprint: None,
        kind: OrgKind::Client,
        status: OrgStatus::Linked,
        linked_at: None,
        updated_at: "2026-11-22T00:00:00Z".into(),
    }
}

fn with_org(dir: &std::path::Path) -> Agency {
    let agency = open(dir);
    let row = ClientOrgRow {
        name: "Acme Dental".into(),
        ..org_row("org-1")
    };
    agency
        .store()
        .write(|tx| clients::upsert(tx, &row))
        .unwrap();
    agency
}

#[tokio::test]
async fn a_new_host_is_saved_only_with_the_owners_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let agency = with_org(dir.path());

    // Nobody to confirm: refused, naming the host and how to trust it; nothing written.
    let err = agency
        .set_client_base_url(
            "org-1",
            " https://Proxy.Example./vapi/ ",
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    let text = err.to_string();
    assert!(text.contains("proxy.example was not confirmed"), "{text}");
    assert!(text.contains("--trust-host proxy.example"), "{text}");
    assert_eq!(stored_url(&agency), "https://api.vapi.ai");
    assert!(agency.trusted_hosts("org-1").unwrap().is_empty());

    // The owner says no: the same.
    let no = asked(false);
    let confirmer: Confirmer = no.clone();
    agency
        .set_client_base_url("org-1", "https://proxy.example/vapi", &confirmer)
        .await
        .unwrap_err();
    let questions = no.questions.lock().unwrap().clone();
    assert_eq!(
        questions,
        vec![TrustQuestion {
            host: "proxy.example".into(),
            url: "https://proxy.example/vapi".into(),
            org_name: Some("Acme Dental".into()),
        }]
    );
    assert_eq!(stored_url(&agency), "https://api.vapi.ai");
    assert!(agency.trusted_hosts("org-1").unwrap().is_empty());

    // Yes: the address and the host's trust are stored together, normalised.
    let yes = asked(true);
    let confirmer: Confirmer = yes.clone();
    let stored = agency
        .set_client_base_url("org-1", " https://Proxy.Example./vapi/ ", &confirmer)
        .await
        .unwrap();
    assert_eq!(stored, "https://proxy.example/vapi");
    assert_eq!(stored_url(&agency), "https://proxy.example/vapi");
    assert_eq!(
        agency.trusted_hosts("org-1").unwrap(),
        vec!["proxy.example"]
    );

    // Trust is for the host: another path or port on it is not asked again...
    agency
        .set_client_base_url("org-1", "https://proxy.example:8443/other", &confirmer)
        .await
        .unwrap();
    assert_eq!(yes.questions.lock().unwrap().len(), 1);
    // ...nor Vapi's own host or this machine, ever.
    for url in [
        "https://api.vapi.ai",
        "http://127.0.0.1:9",
        "http://localhost:3000",
    ] {
        agency
            .set_client_base_url("org-1", url, &confirmer)
            .await
            .unwrap();
    }
    assert_eq!(yes.questions.lock().unwrap().len(), 1);
    // A look-alike host is another host.
    agency
        .set_client_base_url(
            "org-1",
            "https://proxy.example.evil.example",
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(stored_url(&agency), "http://localhost:3000");
}

#[tokio::test]
async fn addresses_that_could_never_carry_a_key_are_refused_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let agency = with_org(dir.path());
    let yes = asked(true);
    let confirmer: Confirmer = yes.clone();

    // Plain http to another machine would send the key in clear: refused, nothing changed.
    for bad in [
        "http://proxy.example",
        "https://user:pw@proxy.example",
        "https://api.vapi.ai@proxy.example",
        "file:///etc/passwd",
        "https://proxy.example/?to=x",
    ] {
        let err = agency
            .set_client_base_url("org-1", bad, &confirmer)
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad}");
    }
    let err = agency
        .set_client_base_url("org-1", "http://proxy.example", &confirmer)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("https"), "{err}");
    assert!(yes.questions.lock().unwrap().is_empty());
    assert_eq!(stored_url(&agency), "https://api.vapi.ai");

    let missing = agency
        .set_client_base_url("nope", "https://other.example", &confirmer)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert!(yes.questions.lock().unwrap().is_empty());
}

#[test]
fn named_hosts_confirm_exactly_those_hosts() {
    let named = NamedHosts::parse(&["Proxy.Example.", "bücher.example"]).unwrap();
    let question = |host: &str| TrustQuestion {
        host: host.into(),
        url: format!("https://{host}"),
        org_name: None,
    };
    assert!(named.confirm(&question("proxy.example")));
    assert!(named.confirm(&question("xn--bcher-kva.example")));
    assert!(!named.confirm(&question("other.example")));
    assert!(!named.confirm(&question("proxy.example.evil.example")));
    assert!(NamedHosts::parse(&["https://proxy.example"]).is_err());
    assert!(NamedHosts::parse(&["proxy.example:443"]).is_err());
}

#[test]
fn the_default_age_is_the_audits() {
    assert_eq!(
        i64::from(DEFAULT_KEY_ROTATION_MAX_AGE_DAYS),
        DEFAULT_MAX_KEY_AGE_DAYS
    );
}
