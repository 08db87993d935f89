//! The keys commands in sequence on one agency, as a user runs them over days: the CLI's own
//! code (`cli::keys::execute`) on a real-mode session whose keychain is an in-memory stand-in,
//! against a simulator over HTTP. What Vapi holds is checked through core's Vapi client.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use agencydesk::cli::keys::{execute, Printed};
use agencydesk::cli::{Cli, Command};
use agencydesk::state::{AppState, KeychainOpener};
use agencydesk_core::agency::NoConfirmation;
use agencydesk_core::keychain::{EphemeralKeychain, SecretStore};
use agencydesk_core::paths::DataDir;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::vapi::{Token, VapiClient};
use clap::Parser;
use serde_json::Value;
use vapi_sim::{OrgEntry, Sim, SimConfig};

struct World {
    sim: Sim,
    state: AppState,
    org: OrgEntry,
    _data: tempfile::TempDir,
}

async fn world() -> World {
    let config = SimConfig {
        orgs: 1,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let store: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
    let keychain: KeychainOpener = Arc::new(move || Ok(Arc::clone(&store)));
    let state = AppState::new(Ok(DataDir::at(data.path())), keychain, false);
    state.start_real().await.unwrap();
    let org = sim.manifest().orgs[0].clone();
    state
        .session()
        .await
        .unwrap()
        .agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    World {
        sim,
        state,
        org,
        _data: data,
    }
}

impl World {
    async fn run(&self, args: &[&str]) -> Result<Printed, String> {
        let mut argv = vec!["agencydesk", "keys"];
        argv.extend_from_slice(args);
        let Some(Command::Keys(command)) = Cli::try_parse_from(argv).unwrap().command else {
            panic!("not a keys command: {args:?}");
        };
        let session = self.state.session().await.unwrap();
        execute(&session.agency, command)
            .await
            .map_err(|e| e.to_string())
    }

    async fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        let printed = self.run(&args).await.unwrap();
        serde_json::from_str(&printed.stdout).unwrap()
    }

    async fn live(&self, key_id: &str) -> Token {
        let client = VapiClient::new(
            &self.sim.url(),
            SecretKey::new(self.org.private_key.clone()),
        )
        .unwrap();
        client
            .list_tokens()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.id == key_id)
            .unwrap_or_else(|| panic!("{key_id} is not at Vapi"))
    }

    async fn exists(&self, key_id: &str) -> bool {
        let client = VapiClient::new(
            &self.sim.url(),
            SecretKey::new(self.org.private_key.clone()),
        )
        .unwrap();
        client
            .list_tokens()
            .await
            .unwrap()
            .iter()
            .any(|t| t.id == key_id)
    }
}

#[tokio::test]
async fn create_then_rotate_in_two_steps_then_delete_the_old_key() {
    let w = world().await;
    let org = w.org.id.clone();
    let assistant = w.org.assistants[0].id.clone();
    let created = w
        .json(&[
            "create",
            "--org",
            &org,
            "--name",
            "Website",
            "--origin",
            "https://acme.example",
            "--assistant",
            &assistant,
        ])
        .await;
    let old = created["id"].as_str().unwrap().to_owned();

    // Step one: a replacement with the same restrictions; both keys on at Vapi.
    let started = w.json(&["rotate", "--org", &org, "--key", &old]).await;
    let new = started["newKey"]["id"].as_str().unwrap().to_owned();
    assert!(w.live(&old).await.is_enabled());
    assert!(w.live(&new).await.is_enabled());
    assert_eq!(
        w.live(&new).await.restrictions,
        w.live(&old)
            .await
            .restrictions
            .map(|r| agencydesk_core::vapi::TokenRestrictions {
                enabled: Some(true),
                ..r
            })
    );
    // Deleting the old key while it is still on is refused; --force is named.
    let refused = w
        .run(&["delete", "--org", &org, "--key", &old])
        .await
        .unwrap_err();
    assert!(refused.contains("--force"), "{refused}");

    // Step two, days later: the old key is turned off, not deleted.
    let finished = w
        .json(&[
            "rotate",
            "--org",
            &org,
            "--key",
            &old,
            "--finish",
            "--new-key",
            &new,
        ])
        .await;
    assert_eq!(finished["enabled"], false);
    assert!(!w.live(&old).await.is_enabled());
    assert!(w.live(&new).await.is_enabled());

    // A key that is off deletes without --force; the replacement keeps working.
    w.run(&["delete", "--org", &org, "--key", &old])
        .await
        .unwrap();
    assert!(!w.exists(&old).await);
    let listed = w.json(&["list", "--org", &org]).await;
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&new.as_str()) && !ids.contains(&old.as_str()),
        "{ids:?}"
    );
}

#[tokio::test]
async fn audit_has_no_findings_for_clean_keys_and_reports_a_new_open_key() {
    let w = world().await;
    let org = w.org.id.clone();
    // Only keys this test makes: the seeded ones go (turned off first, as the CLI insists).
    for key in w.json(&["list", "--org", &org]).await.as_array().unwrap() {
        let id = key["id"].as_str().unwrap();
        w.run(&["delete", "--org", &org, "--key", id, "--force"])
            .await
            .unwrap();
    }
    let assistant = w.org.assistants[0].id.clone();
    w.run(&[
        "create",
        "--org",
        &org,
        "--name",
        "Site",
        "--origin",
        "https://acme.example",
        "--origin",
        "https://www.acme.example",
        "--assistant",
        &assistant,
    ])
    .await
    .unwrap();
    let clean = w.run(&["audit"]).await.unwrap();
    assert_eq!(clean.findings, 0, "{}", clean.stdout);
    assert!(clean.stdout.contains("no findings"), "{}", clean.stdout);

    w.run(&[
        "create",
        "--org",
        &org,
        "--name",
        "Dev",
        "--origin",
        "http://localhost:3000",
        "--origin",
        "https://acme.example",
        "--origin",
        "https://www.acme.example",
        "--assistant",
        &assistant,
    ])
    .await
    .unwrap();
    let found = w.run(&["audit"]).await.unwrap();
    assert_eq!(found.findings, 1, "{}", found.stdout);
    assert!(
        found.stdout.contains("http://localhost:3000"),
        "{}",
        found.stdout
    );
    assert!(
        found.stdout.contains("Fix: Remove http://localhost:3000"),
        "{}",
        found.stdout
    );

    // A rotation age of one day flags nothing yet: these keys were made today.
    let young = w.run(&["audit", "--max-age-days", "1"]).await.unwrap();
    assert_eq!(young.findings, 1, "{}", young.stdout);
}
