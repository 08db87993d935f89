//! The headless CLI as a user runs it: the real binary, keys on standard input, a simulator on
//! 127.0.0.1. `--demo` keeps every key in memory, so no OS keychain is touched.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Output, Stdio};

use agencydesk_core::sensitive::SecretKey;
use vapi_sim::Sim;

fn agencydesk(args: &[&str], stdin: &[u8], data_dir: &std::path::Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

async fn demo_world() -> Sim {
    Sim::start(
        agencydesk::demo::sim_config(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap()
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_list_json_shows_the_seeded_client_orgs() {
    let sim = demo_world().await;
    let manifest = sim.manifest();
    let tmp = tempfile::tempdir().unwrap();
    let out = agencydesk(&["--demo", "clients", "list", "--json"], b"", tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut seeded: Vec<&str> = manifest.orgs.iter().map(|o| o.name.as_str()).collect();
    names.sort();
    seeded.sort();
    assert_eq!(names, seeded);
    let text = String::from_utf8_lossy(&out.stdout);
    for org in &manifest.orgs {
        assert!(
            !text.contains(&org.private_key),
            "key of {} printed",
            org.name
        );
    }
    sim.shutdown().await;
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_list_table_names_every_client() {
    let sim = demo_world().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = agencydesk(&["--demo", "clients", "list"], b"", tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("CLIENT ORG"), "{text}");
    for org in &sim.manifest().orgs {
        assert!(
            text.contains(&org.name),
            "{} missing from\n{text}",
            org.name
        );
    }
    sim.shutdown().await;
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_reads_the_key_from_stdin_and_prints_only_its_fingerprint() {
    let sim = demo_world().await;
    let manifest = sim.manifest();
    let org = &manifest.orgs[2];
    let tmp = tempfile::tempdir().unwrap();
    let stdin = format!("  {}\n", org.private_key);
    let out = agencydesk(
        &["--demo", "clients", "link", "--base-url", &manifest.url],
        stdin.as_bytes(),
        tmp.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&org.name), "{text}");
    assert!(
        text.contains(&SecretKey::new(org.private_key.clone()).fingerprint()),
        "{text}"
    );
    assert!(!text.contains(&org.private_key));
    sim.shutdown().await;
}

#[test]
fn link_without_a_key_fails_with_a_plain_message() {
    let tmp = tempfile::tempdir().unwrap();
    let out = agencydesk(&["--demo", "clients", "link"], b"  \n", tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("No private key was given"), "{err}");
}

#[test]
fn a_key_is_never_accepted_as_an_argument() {
    let tmp = tempfile::tempdir().unwrap();
    let out = agencydesk(
        &["clients", "link", "--key", "secret-value"],
        b"",
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2), "clap rejects unknown flags");
}

#[test]
fn about_lists_the_bundled_licenses_and_diagnostics_name_no_client() {
    let tmp = tempfile::tempdir().unwrap();
    let out = agencydesk(&["--demo", "about", "--json"], b"", tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let about: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(about["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(about["fonts"][0]["name"], "DejaVu Sans");
    // Built without AGENCYDESK_UPDATE_URL: no update feed, so no checks.
    assert_eq!(about["updateFeed"], serde_json::Value::Null, "{about}");
    let crates = about["crates"].as_array().unwrap();
    assert!(
        crates.iter().any(|c| c["name"] == "tauri"),
        "tauri is listed"
    );
    assert!(crates
        .iter()
        .all(|c| !c["license"].as_str().unwrap().is_empty()));

    let out = agencydesk(&["--demo", "diagnostics"], b"", tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("agencydesk {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(
        text.contains("demo mode") && text.contains("clients: 4 linked"),
        "{text}"
    );
    let out = agencydesk(&["--demo", "clients", "list", "--json"], b"", tmp.path());
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for client in listed.as_array().unwrap() {
        let name = client["name"].as_str().unwrap();
        assert!(!text.contains(name), "{name} is in the diagnostics");
        assert!(!text.contains(client["id"].as_str().unwrap()));
    }
}
