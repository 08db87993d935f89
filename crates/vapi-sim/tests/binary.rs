//! The `vapi-sim` binary prints the manifest line first, then serves.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_prints_manifest_then_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vapi-sim"))
        .args([
            "--seed",
            "7",
            "--orgs",
            "3",
            "--days",
            "5",
            "--port",
            "0",
            "--anchor",
            "2026-10-03T12:00:00Z",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let m: vapi_sim::Manifest = serde_json::from_str(&line).unwrap();
    assert!(m.url.starts_with("http://127.0.0.1:"), "{}", m.url);
    assert_eq!(m.orgs.len(), 3);
    let r = reqwest::Client::new()
        .get(format!("{}/call?limit=1", m.url))
        .bearer_auth(&m.orgs[0].private_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let calls: serde_json::Value = r.json().await.unwrap();
    assert_eq!(calls.as_array().unwrap().len(), 1);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_documents_every_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_vapi-sim"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--seed",
        "--orgs",
        "--days",
        "--port",
        "--host",
        "--calls-per-day",
        "--anchor",
        "--fail-rate",
        "--rate-limit",
        "--slow-rate",
        "--slow-ms",
        "--truncate-rate",
        "--fault-seed",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn bad_flags_are_refused() {
    for args in [
        &["--fail-rate", "2"][..],
        &["--anchor", "someday"],
        &["--rate-limit", "0"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_vapi-sim"))
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} accepted");
        assert!(out.stdout.is_empty(), "no manifest on failure");
    }
}
