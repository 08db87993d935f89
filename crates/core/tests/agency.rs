//! The agency workflows against the simulator, with a real SQLite file and an in-memory key
//! store (the OS keychain variant is in tests/keychain.rs).

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::{EphemeralKeychain, KeyAccount, KeychainError, SecretStore};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use agencydesk_core::vapi::{ClientOptions, CreateTokenDto, TokenTag, VapiClient};
use vapi_sim::{Sim, SimConfig};

struct Fixture {
    sim: Sim,
    keychain: Arc<EphemeralKeychain>,
    agency: Agency,
    data: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let sim = Sim::start(
        SimConfig {
            orgs: 2,
            days: 2,
            calls_per_day: 3,
            ..SimConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let keychain = Arc::new(EphemeralKeychain::new());
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), keychain.clone())
        .unwrap()
        .with_client_options(ClientOptions {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..ClientOptions::default()
        });
    Fixture {
        sim,
        keychain,
        agency,
        data,
    }
}

fn key(text: &str) -> SecretKey {
    SecretKey::new(text.to_owned())
}

fn file_contains(dir: &std::path::Path, needle: &str) -> bool {
    ["agencydesk.sqlite", "agencydesk.sqlite-wal"]
        .iter()
        .any(|f| {
            std::fs::read(dir.join(f))
                .unwrap_or_default()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
}

/// A keychain that refuses every write, like a locked or missing one.
struct BrokenKeychain;

impl SecretStore for BrokenKeychain {
    fn set(&self, _: &KeyAccount, _: &SecretKey) -> Result<(), KeychainError> {
        Err(KeychainError::Unavailable {
            detail: "test double".into(),
        })
    }
    fn get(&self, _: &KeyAccount) -> Result<Option<SecretKey>, KeychainError> {
        Ok(None)
    }
    fn delete(&self, _: &KeyAccount) -> Result<(), KeychainError> {
        Ok(())
    }
    fn describe(&self) -> &'static str {
        "broken"
    }
}

#[tokio::test]
async fn linking_a_client_stores_key_in_keychain_and_org_in_sqlite() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    // Whitespace around a pasted key is ignored.
    let view = f
        .agency
        .link_client(
            Some(&f.sim.url()),
            key(&format!("  {}\n", org.private_key)),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();

    assert_eq!(view.id, org.id);
    assert_eq!(view.name, org.name);
    assert_eq!(view.kind, OrgKind::Client);
    assert_eq!(view.status, OrgStatus::Linked);
    assert_eq!(view.base_url, f.sim.url());
    assert_eq!(view.next_step, None);
    let fingerprint = key(&org.private_key).fingerprint();
    assert_eq!(view.key_fingerprint.as_deref(), Some(fingerprint.as_str()));
    let mut got: Vec<(String, Option<String>)> = view
        .assistants
        .iter()
        .map(|a| (a.id.clone(), a.name.clone()))
        .collect();
    let mut want: Vec<(String, Option<String>)> = org
        .assistants
        .iter()
        .map(|a| (a.id.clone(), Some(a.name.clone())))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(view.public_key_count as usize, org.public_keys.len());
    assert_eq!(view.last_sync_at, None);

    let stored = f
        .keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap()
        .unwrap();
    assert_eq!(stored.expose(), &org.private_key);
    assert!(!file_contains(f.data.path(), &org.private_key));
    // Public keys are cached on purpose (snippets work offline).
    assert!(file_contains(f.data.path(), &org.public_keys[0].value));

    assert_eq!(f.agency.list_clients().unwrap(), vec![view.clone()]);
    assert_eq!(f.agency.get_client(&org.id).unwrap(), view);

    // A client for the org, built from the keychain, works.
    let client = f.agency.client_for(&org.id).await.unwrap();
    assert_eq!(client.key_fingerprint(), fingerprint);
    client.list_tokens().await.unwrap();

    // Reopening the data folder finds the org again.
    drop(f.agency);
    let reopened = Agency::open(f.data.path(), f.keychain.clone()).unwrap();
    assert_eq!(reopened.list_clients().unwrap().len(), 1);
    f.sim.shutdown().await;
}

#[tokio::test]
async fn relinking_replaces_the_key() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    f.agency
        .link_client(
            Some(&f.sim.url()),
            key(&org.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    let api = VapiClient::new(&f.sim.url(), key(&org.private_key)).unwrap();
    let second = api
        .create_token(&CreateTokenDto {
            tag: TokenTag::Private,
            name: Some("second".into()),
            restrictions: None,
        })
        .await
        .unwrap();
    let second_key = second.value.clone().unwrap();

    let view = f
        .agency
        .link_client(
            Some(&f.sim.url()),
            second_key.clone(),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    assert_eq!(
        view.key_fingerprint.as_deref(),
        Some(second_key.fingerprint().as_str())
    );
    let stored = f
        .keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap()
        .unwrap();
    assert_eq!(stored.expose(), second_key.expose());
    assert_eq!(f.agency.list_clients().unwrap().len(), 1);
    assert!(!file_contains(f.data.path(), second_key.expose()));
    f.sim.shutdown().await;
}

#[tokio::test]
async fn a_keychain_failure_writes_nothing_to_sqlite() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    let agency = Agency::open(f.data.path(), Arc::new(BrokenKeychain)).unwrap();
    let err = agency
        .link_client(
            Some(&f.sim.url()),
            key(&org.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::KeychainUnavailable);
    assert!(agency.list_clients().unwrap().is_empty());
    assert!(!file_contains(f.data.path(), &org.id));
    f.sim.shutdown().await;
}

#[tokio::test]
async fn bad_keys_are_refused_and_nothing_is_stored() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    let url = f.sim.url();

    let wrong = f
        .agency
        .link_client(
            Some(&url),
            key("definitely-not-a-key"),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthorized);
    assert!(!wrong.to_string().contains("definitely-not-a-key"));

    let public = f
        .agency
        .link_client(
            Some(&url),
            key(&org.public_keys[0].value),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(public.code(), Code::Unauthorized);

    let empty = f
        .agency
        .link_client(Some(&url), key("  \n"), &NoConfirmation::confirmer())
        .await
        .unwrap_err();
    assert_eq!(empty.code(), Code::InvalidInput);

    let insecure = f
        .agency
        .link_client(
            Some("http://vapi.example.com"),
            key(&org.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(insecure.code(), Code::InvalidInput);

    assert!(f.agency.list_clients().unwrap().is_empty());
    assert!(f
        .keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap()
        .is_none());
    f.sim.shutdown().await;
}

#[tokio::test]
async fn creating_a_client_org_needs_the_agency_and_then_its_own_key() {
    let f = fixture().await;
    let url = f.sim.url();
    let manifest = f.sim.manifest();

    let no_agency = f
        .agency
        .create_client_org("Bright Smiles")
        .await
        .unwrap_err();
    assert_eq!(no_agency.code(), Code::Unauthorized);
    assert!(no_agency.to_string().contains("agency's own Vapi org"));

    let agency_view = f
        .agency
        .link_agency(
            Some(&url),
            key(&manifest.agency.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    assert_eq!(agency_view.kind, OrgKind::Agency);
    assert_eq!(
        f.keychain
            .get(&KeyAccount::AgencyOrg)
            .unwrap()
            .unwrap()
            .expose(),
        &manifest.agency.private_key
    );

    let too_long = f
        .agency
        .create_client_org(&"x".repeat(41))
        .await
        .unwrap_err();
    assert_eq!(too_long.code(), Code::InvalidInput);

    let pending = f
        .agency
        .create_client_org("  Bright Smiles  ")
        .await
        .unwrap();
    assert_eq!(pending.name, "Bright Smiles");
    assert_eq!(pending.status, OrgStatus::PendingKey);
    assert_eq!(pending.key_fingerprint, None);
    assert!(pending
        .next_step
        .as_deref()
        .unwrap()
        .contains("private API key"));
    assert_eq!(pending.base_url, url);

    // No key yet: no client for it.
    let err = f.agency.client_for(&pending.id).await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized);

    // The org's private key, as the user would copy it from the dashboard.
    let own_key = f.sim.handle().private_keys(&pending.id)[0].clone();
    let linked = f
        .agency
        .link_client(Some(&url), key(&own_key), &NoConfirmation::confirmer())
        .await
        .unwrap();
    assert_eq!(linked.id, pending.id);
    assert_eq!(linked.status, OrgStatus::Linked);
    assert_eq!(linked.name, "Bright Smiles");

    let all = f.agency.list_clients().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].kind, OrgKind::Agency, "the agency comes first");
    assert_eq!(
        f.agency.agency_org().unwrap().map(|a| a.id),
        Some(manifest.agency.id.clone())
    );

    // The agency's own key cannot be linked as a client.
    let clash = f
        .agency
        .link_client(
            Some(&url),
            key(&manifest.agency.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap_err();
    assert_eq!(clash.code(), Code::Conflict);
    // And a client's key cannot become the agency while another agency org is linked.
    let clash = f
        .agency
        .link_agency(Some(&url), key(&own_key), &NoConfirmation::confirmer())
        .await
        .unwrap_err();
    assert_eq!(clash.code(), Code::Conflict);
    f.sim.shutdown().await;
}

#[tokio::test]
async fn refresh_picks_up_changes_and_notices_a_revoked_key() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    let view = f
        .agency
        .link_client(
            Some(&f.sim.url()),
            key(&org.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    let api = VapiClient::new(&f.sim.url(), key(&org.private_key)).unwrap();
    api.create_token(&CreateTokenDto {
        tag: TokenTag::Public,
        name: Some("new widget".into()),
        restrictions: None,
    })
    .await
    .unwrap();

    let refreshed = f.agency.refresh_client(&org.id).await.unwrap();
    assert_eq!(refreshed.public_key_count, view.public_key_count + 1);

    assert!(f.sim.handle().revoke_private_key(&org.id, &org.private_key));
    let err = f.agency.refresh_client(&org.id).await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized);
    let after = f.agency.get_client(&org.id).unwrap();
    assert_eq!(after.status, OrgStatus::KeyRejected);
    assert!(after.next_step.is_some());
    f.sim.shutdown().await;
}

#[tokio::test]
async fn unlinking_removes_the_key_and_the_rows() {
    let f = fixture().await;
    let manifest = f.sim.manifest();
    for org in &manifest.orgs {
        f.agency
            .link_client(
                Some(&f.sim.url()),
                key(&org.private_key),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    let gone = &manifest.orgs[0];
    f.agency.unlink_client(&gone.id).await.unwrap();

    let left: Vec<String> = f
        .agency
        .list_clients()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, vec![manifest.orgs[1].id.clone()]);
    assert!(f
        .keychain
        .get(&KeyAccount::ClientOrg(gone.id.clone()))
        .unwrap()
        .is_none());
    assert!(f
        .keychain
        .get(&KeyAccount::ClientOrg(manifest.orgs[1].id.clone()))
        .unwrap()
        .is_some());

    let again = f.agency.unlink_client(&gone.id).await.unwrap_err();
    assert_eq!(again.code(), Code::NotFound);
    let unknown = f.agency.client_for(&gone.id).await.unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
    f.sim.shutdown().await;
}

#[tokio::test]
async fn a_key_missing_from_the_keychain_asks_for_a_relink() {
    let f = fixture().await;
    let org = f.sim.manifest().orgs[0].clone();
    f.agency
        .link_client(
            Some(&f.sim.url()),
            key(&org.private_key),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    f.keychain
        .delete(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap();
    let err = f.agency.refresh_client(&org.id).await.unwrap_err();
    assert_eq!(err.code(), Code::Unauthorized);
    assert!(err.to_string().contains("missing from the keychain"));
    assert!(err.to_string().contains("Link this org again"));
    // The org says so until it is linked again (a refresh found it missing, not only a sync).
    let view = f.agency.list_clients().unwrap().remove(0);
    assert_eq!(view.status, OrgStatus::KeyMissing);
    assert!(view.next_step.unwrap().contains("Link this org again"));
    f.sim.shutdown().await;
}
