//! A private key goes only to Vapi, to this machine, or to a host the owner confirmed for the
//! org: checked before any request and before anything is written, on every path that links an
//! org, creates one, or uses a stored key. Real SQLite file, simulator on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agencydesk_core::agency::{
    Agency, Confirmer, HostConfirmer, NamedHosts, NoConfirmation, TrustQuestion,
};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::{EphemeralKeychain, KeyAccount, SecretStore};
use agencydesk_core::public_keys::IfInUse;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::StoreError;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions, SyncOutcome};
use agencydesk_core::vapi::ClientOptions;
use vapi_sim::{Sim, SimConfig};

struct Fixture {
    sim: Sim,
    keychain: Arc<EphemeralKeychain>,
    agency: Agency,
    _data: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let sim = Sim::start(
        SimConfig {
            orgs: 1,
            days: 1,
            calls_per_day: 2,
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
            max_retries: 0,
            ..ClientOptions::default()
        });
    Fixture {
        sim,
        keychain,
        agency,
        _data: data,
    }
}

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

fn org_rows(agency: &Agency) -> i64 {
    agency
        .store()
        .read(|c| {
            Ok::<_, StoreError>(c.query_row("SELECT count(*) FROM client_orgs", [], |r| r.get(0))?)
        })
        .unwrap()
}

fn trusted_rows(agency: &Agency) -> i64 {
    agency
        .store()
        .read(|c| {
            Ok::<_, StoreError>(
                c.query_row("SELECT count(*) FROM trusted_hosts", [], |r| r.get(0))?,
            )
        })
        .unwrap()
}

#[tokio::test]
async fn a_key_is_not_sent_to_a_host_nobody_confirmed() {
    let f = fixture().await;
    let manifest = f.sim.manifest();
    let org = &manifest.orgs[0];

    for agency_org in [false, true] {
        let key = SecretKey::new(if agency_org {
            manifest.agency.private_key.clone()
        } else {
            org.private_key.clone()
        });
        let url = Some("https://Other.Example/vapi");
        let confirmer = NoConfirmation::confirmer();
        let err = if agency_org {
            f.agency.link_agency(url, key, &confirmer).await
        } else {
            f.agency.link_client(url, key, &confirmer).await
        }
        .unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput);
        let text = err.to_string();
        assert!(text.contains("other.example was not confirmed"), "{text}");
        assert!(text.contains("--trust-host other.example"), "{text}");
    }
    assert_eq!(f.sim.handle().request_count(), 0, "no request at all");
    assert!(f
        .keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap()
        .is_none());
    assert!(f.keychain.get(&KeyAccount::AgencyOrg).unwrap().is_none());
    assert_eq!(org_rows(&f.agency), 0);
    assert_eq!(trusted_rows(&f.agency), 0);
}

#[tokio::test]
async fn the_owner_is_asked_before_the_key_leaves_and_a_failed_link_records_nothing() {
    let f = fixture().await;
    let org = &f.sim.manifest().orgs[0];
    let yes = asked(true);
    let confirmer: Confirmer = yes.clone();

    // `.invalid` never resolves: the key was cleared to go, and the request then fails.
    let err = f
        .agency
        .link_client(
            Some("https://vapi.proxy.invalid"),
            SecretKey::new(org.private_key.clone()),
            &confirmer,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Network, "{err}");
    assert_eq!(
        yes.questions.lock().unwrap().clone(),
        vec![TrustQuestion {
            host: "vapi.proxy.invalid".into(),
            url: "https://vapi.proxy.invalid".into(),
            org_name: None,
        }]
    );
    assert_eq!(org_rows(&f.agency), 0);
    assert_eq!(trusted_rows(&f.agency), 0);
    assert!(f
        .keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .unwrap()
        .is_none());

    // Vapi's host and this machine are never put to the owner.
    f.agency
        .link_client(
            Some(&f.sim.url()),
            SecretKey::new(org.private_key.clone()),
            &confirmer,
        )
        .await
        .unwrap();
    assert_eq!(yes.questions.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_address_is_checked_each_time_the_key_is_used() {
    let f = fixture().await;
    let manifest = f.sim.manifest();
    let org = &manifest.orgs[0];
    let none = NoConfirmation::confirmer();
    f.agency
        .link_agency(
            Some(&f.sim.url()),
            SecretKey::new(manifest.agency.private_key.clone()),
            &none,
        )
        .await
        .unwrap();
    f.agency
        .link_client(
            Some(&f.sim.url()),
            SecretKey::new(org.private_key.clone()),
            &none,
        )
        .await
        .unwrap();

    // Another host written behind the app's back (an older version, a hand edit): every use of
    // the key refuses it, naming the host, before any request.
    f.agency
        .store()
        .write(|tx| {
            Ok::<_, StoreError>(tx.execute(
                "UPDATE client_orgs SET base_url = 'https://other.example'",
                [],
            )?)
        })
        .unwrap();
    let before = f.sim.handle().request_count();
    let refused = |err: agencydesk_core::error::CoreError| {
        assert_eq!(err.code(), Code::InvalidInput, "{err}");
        assert!(
            err.to_string().contains("other.example is not confirmed"),
            "{err}"
        );
    };
    refused(f.agency.refresh_client(&org.id).await.unwrap_err());
    refused(f.agency.client_for(&org.id).await.unwrap_err());
    refused(
        f.agency
            .delete_public_key(&org.id, "any-key", IfInUse::Refuse)
            .await
            .unwrap_err(),
    );
    refused(f.agency.create_client_org("New Co").await.unwrap_err());
    let report = f
        .agency
        .sync_calls(
            Some(&org.id),
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(report.orgs[0].outcome, SyncOutcome::Failed);
    let error = report.orgs[0].error.as_ref().unwrap();
    assert!(error.message.contains("other.example"), "{error:?}");
    assert_eq!(
        f.sim.handle().request_count(),
        before,
        "no request was made"
    );
    assert_eq!(org_rows(&f.agency), 2, "no org was created");

    // Once the owner confirms the host for this org (the CLI's --trust-host), it may be used:
    // for this org only.
    let trusted = NamedHosts::parse(&["other.example"]).unwrap().confirmer();
    f.agency
        .set_client_base_url(&org.id, "https://other.example", &trusted)
        .await
        .unwrap();
    assert_eq!(
        f.agency.trusted_hosts(&org.id).unwrap(),
        vec!["other.example"]
    );
    f.agency.client_for(&org.id).await.unwrap();
    refused(f.agency.create_client_org("New Co").await.unwrap_err());
}

#[tokio::test]
async fn a_client_org_is_created_where_the_agency_lives_and_inherits_its_trust() {
    let f = fixture().await;
    let manifest = f.sim.manifest();
    f.agency
        .link_agency(
            Some(&f.sim.url()),
            SecretKey::new(manifest.agency.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    let created = f.agency.create_client_org("Bright Smiles").await.unwrap();
    assert_eq!(created.base_url, f.sim.url().trim_end_matches('/'));
    // This machine needs no trust: nothing recorded for the new org.
    assert!(f.agency.trusted_hosts(&created.id).unwrap().is_empty());
}
