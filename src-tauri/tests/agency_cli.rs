//! `agencydesk agency link` and `agencydesk clients create` on a real agency (not the demo): the
//! real binary, a real data folder, a simulator served by this test process on 127.0.0.1.
//!
//! Real mode keeps keys in the OS keychain. So that nothing lands in a developer's own keychain,
//! the test re-runs itself inside a throwaway, unlocked Secret Service
//! (`scripts/with-keychain.sh`) and does its work there.

mod keychain_support;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vapi_sim::{Sim, SimConfig};

use keychain_support::in_throwaway_keychain;

fn agencydesk(args: &[&str], stdin: &[u8], data_dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn listed_clients(data_dir: &Path) -> Vec<Value> {
    let out = agencydesk(&["clients", "list", "--json"], b"", data_dir);
    assert!(out.status.success(), "{}", text(&out));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    listed.as_array().unwrap().clone()
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agency_link_then_clients_create_makes_an_org_pending_its_key() {
    if !in_throwaway_keychain("agency_link_then_clients_create_makes_an_org_pending_its_key") {
        return;
    }
    let sim = Sim::start(
        SimConfig {
            orgs: 1,
            days: 1,
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap();
    let manifest = sim.manifest();
    let url = manifest.url.as_str();
    let data = tempfile::tempdir().unwrap();
    let create = ["clients", "create", "--name", "New Client"];

    // Before the agency org is linked there is nothing to create orgs with.
    let out = agencydesk(&create, b"", data.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Link your agency's own Vapi org first: agencydesk agency link"),
        "{}",
        text(&out)
    );
    assert!(listed_clients(data.path()).is_empty());

    let agency_key = manifest.agency.private_key.as_bytes();
    let out = agencydesk(
        &["agency", "link", "--base-url", url],
        agency_key,
        data.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&manifest.agency.name), "{stdout}");
    assert!(stdout.contains(&manifest.agency.id), "{stdout}");
    assert!(stdout.contains('…'), "fingerprint missing: {stdout}");
    let all_output = format!("{}{}", stdout, String::from_utf8_lossy(&out.stderr));
    assert!(
        !all_output.contains(&manifest.agency.private_key),
        "{all_output}"
    );
    // The agency's own org is not a client.
    assert!(listed_clients(data.path()).is_empty());

    let out = agencydesk(&create, b"", data.path());
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("New Client"), "{stdout}");
    assert!(stdout.contains("agencydesk clients link"), "{stdout}");

    let clients = listed_clients(data.path());
    assert_eq!(clients.len(), 1, "{clients:?}");
    let created = &clients[0];
    assert_eq!(created["name"], "New Client");
    assert_eq!(created["kind"], "client");
    assert_eq!(created["status"], "pending_key");
    assert!(created["keyFingerprint"].is_null(), "{created}");
    let org_id = created["id"].as_str().unwrap();
    assert!(stdout.contains(org_id), "{stdout}");
    assert!(
        !manifest.orgs.iter().any(|o| o.id == org_id),
        "not a new org"
    );

    // The printed next step works: pasting the new org's key (from the "dashboard") links it.
    let keys = sim.handle().private_keys(org_id);
    let new_key = keys.first().expect("Vapi made the org a private key");
    let out = agencydesk(
        &["clients", "link", "--base-url", url],
        new_key.as_bytes(),
        data.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let clients = listed_clients(data.path());
    assert_eq!(clients.len(), 1, "{clients:?}");
    assert_eq!(clients[0]["id"], org_id);
    assert_eq!(clients[0]["status"], "linked");
    sim.shutdown().await;
}
