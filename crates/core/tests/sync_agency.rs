//! The sync as the app and the CLI start it (`Agency::sync_calls`): keys from the keychain,
//! orgs waiting for their key skipped, unknown orgs refused; and no credential from a call's
//! JSON reaches the database.

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::OrgStatus;
use agencydesk_core::sync::{no_progress, raw, CancellationToken, SyncOptions, SyncOutcome};
use agencydesk_core::vapi::ClientOptions;
use vapi_sim::{Sim, SimConfig};

async fn setup() -> (Sim, Agency, tempfile::TempDir) {
    let config = SimConfig {
        orgs: 3,
        days: 10,
        calls_per_day: 20,
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
    let url = sim.url();
    for org in &sim.manifest().orgs {
        agency
            .link_client(
                Some(&url),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    (sim, agency, data)
}

async fn sync(
    agency: &Agency,
    org: Option<&str>,
) -> Result<agencydesk_core::sync::SyncReport, agencydesk_core::error::CoreError> {
    agency
        .sync_calls(
            org,
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linked_orgs_sync_and_pending_or_unknown_ones_do_not() {
    let (sim, agency, _data) = setup().await;
    let handle = sim.handle();
    let manifest = sim.manifest();

    // A client org created through the agency's key waits for its own key.
    agency
        .link_agency(
            Some(&sim.url()),
            SecretKey::new(manifest.agency.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    let pending = agency.create_client_org("Waiting Co").await.unwrap();
    assert_eq!(pending.status, OrgStatus::PendingKey);

    let report = sync(&agency, None).await.unwrap();
    assert_eq!(report.orgs.len(), 3, "{report:#?}");
    assert!(report.all_done(), "{report:#?}");
    for org in &report.orgs {
        assert_eq!(org.cached_calls as usize, handle.call_count(&org.org_id));
    }

    let alone = sync(&agency, Some(&pending.id)).await.unwrap();
    let failed = &alone.orgs[0];
    assert_eq!(failed.outcome, SyncOutcome::Failed);
    let error = failed.error.as_ref().unwrap();
    assert_eq!(error.code, Code::Unauthorized);
    assert!(error.message.contains("Waiting Co"), "{}", error.message);

    let unknown = sync(&agency, Some("no-such-org")).await.unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_a_calls_json_never_reach_the_database() {
    let (sim, agency, _data) = setup().await;
    let manifest = sim.manifest();
    // A web call with a transient assistant carrying credentials, started the way the Web SDK
    // does (public key, POST /call/web); Vapi echoes the assistant in the call's JSON.
    let org = &manifest.orgs[0];
    let public_key = org
        .public_keys
        .iter()
        .map(|k| k.value.clone())
        .collect::<Vec<_>>();
    let body = serde_json::json!({
        "assistant": {
            "name": "Transient",
            "model": {"provider": "openai", "model": "gpt-4o", "openaiApiKey": "sk-transient-1"},
            "server": {"url": "https://hooks.example", "secret": "hook-secret-2"},
            "credentials": [{"provider": "11labs", "apiKey": "el-secret-3"}]
        }
    });
    let http = reqwest::Client::new();
    let mut created = false;
    for key in &public_key {
        let response = http
            .post(format!("{}/call/web", sim.url()))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap();
        if response.status().is_success() {
            created = true;
            break;
        }
    }
    if !created {
        // Every public key of this org restricts assistants: use the private key instead.
        let response = http
            .post(format!("{}/call/web", sim.url()))
            .bearer_auth(&org.private_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }
    let report = sync(&agency, Some(&org.id)).await.unwrap();
    assert!(report.all_done(), "{report:#?}");

    let texts: Vec<String> = agency
        .store()
        .read(|c| {
            let mut stmt = c.prepare("SELECT raw FROM calls WHERE org_id = ?1")?;
            let blobs = stmt
                .query_map([&org.id], |r| r.get::<_, Vec<u8>>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut decoder = raw::Decoder::new();
            Ok::<_, agencydesk_core::store::StoreError>(
                blobs
                    .iter()
                    .map(|b| decoder.decode(c, b).unwrap())
                    .collect(),
            )
        })
        .unwrap();
    assert!(
        texts.iter().any(|t| t.contains("https://hooks.example")),
        "the transient assistant's call was not synced"
    );
    for secret in ["sk-transient-1", "hook-secret-2", "el-secret-3"] {
        assert!(
            !texts.iter().any(|t| t.contains(secret)),
            "{secret} was stored"
        );
    }
}
