//! Shared by the CLI tests that work on a real agency: the real binary, a real data folder, client
//! orgs of a simulator on 127.0.0.1 linked with their keys on standard input.

#![allow(dead_code)]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use vapi_sim::{Sim, SimConfig};

/// Runs `agencydesk args` on the data folder with `stdin` piped in.
pub fn agencydesk(args: &[&str], stdin: &[u8], data_dir: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The process may exit before reading its input: a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

/// `agencydesk args` with nothing on standard input.
pub fn run(args: &[&str], data_dir: &Path) -> Output {
    agencydesk(args, b"", data_dir)
}

/// Everything a failed assertion should show.
pub fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output of a run that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", text(out)))
}

/// A simulator with `orgs` client orgs and `days` of calls, on 127.0.0.1.
pub async fn sim(orgs: usize, days: u32) -> Sim {
    Sim::start(
        SimConfig {
            orgs,
            days,
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap()
}

/// Links every client org of the simulator into the real agency of `data_dir`.
pub fn link_all(sim: &Sim, data_dir: &Path) {
    let manifest = sim.manifest();
    for org in &manifest.orgs {
        let out = agencydesk(
            &["clients", "link", "--base-url", &manifest.url],
            org.private_key.as_bytes(),
            data_dir,
        );
        assert!(out.status.success(), "linking {}: {}", org.name, text(&out));
    }
}
