//! `agencydesk clients link --base-url URL`: a private key goes only to Vapi, to this machine,
//! or to a host named with `--trust-host`. The real binary, a real data folder (SQLite file), a
//! real Secret Service (the test re-runs itself inside `scripts/with-keychain.sh`), a simulator
//! on 127.0.0.1.

mod keychain_support;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use agencydesk::state::KEYCHAIN_SERVICE;
use agencydesk_core::keychain::{KeyAccount, OsKeychain, SecretStore};
use agencydesk_core::store::{Store, StoreError};
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
    // The process may exit before reading its input (that is the point): a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
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

/// Rows in the real SQLite file (opened the way the app opens it).
fn count(data_dir: &Path, table: &str) -> i64 {
    let store = Store::open(&data_dir.join("agencydesk.sqlite")).unwrap();
    store
        .read(|c| {
            Ok::<i64, StoreError>(c.query_row(
                &format!("SELECT count(*) FROM {table}"),
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn key_in_keychain(org_id: &str) -> bool {
    OsKeychain::new(KEYCHAIN_SERVICE)
        .unwrap()
        .get(&KeyAccount::ClientOrg(org_id.to_owned()))
        .unwrap()
        .is_some()
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_link_refuses_an_untrusted_host_before_reading_the_key() {
    if !in_throwaway_keychain("clients_link_refuses_an_untrusted_host_before_reading_the_key") {
        return;
    }
    let sim = Sim::start(
        SimConfig {
            orgs: 2,
            days: 1,
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap();
    let manifest = sim.manifest();
    let data = tempfile::tempdir().unwrap();
    let (first, second) = (&manifest.orgs[0], &manifest.orgs[1]);

    // This machine needs no trust: the first org links, so the checks below can see a write.
    let out = agencydesk(
        &["clients", "link", "--base-url", &manifest.url],
        first.private_key.as_bytes(),
        data.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(key_in_keychain(&first.id));
    assert_eq!(count(data.path(), "client_orgs"), 1);
    let requests = sim.handle().request_count();

    // Another host: refused at once, naming the host and the flag that trusts it. With no key
    // on standard input the refusal is still about the host: the key was never asked for.
    for (args, stdin) in [
        (
            vec!["clients", "link", "--base-url", "https://other.example"],
            second.private_key.as_bytes(),
        ),
        (
            vec!["clients", "link", "--base-url", "https://Other.Example./v1"],
            b"".as_slice(),
        ),
        (
            vec![
                "clients",
                "link",
                "--base-url",
                "https://other.example",
                "--trust-host",
                "another.example",
            ],
            second.private_key.as_bytes(),
        ),
        (
            vec!["agency", "link", "--base-url", "https://other.example"],
            manifest.agency.private_key.as_bytes(),
        ),
    ] {
        let out = agencydesk(&args, stdin, data.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("other.example is not confirmed"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("--trust-host other.example"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out));
        assert!(!stderr.contains(&second.private_key), "{stderr}");
    }
    // Not a host name at all: refused too.
    let out = agencydesk(
        &[
            "clients",
            "link",
            "--base-url",
            "https://other.example",
            "--trust-host",
            "https://other.example",
        ],
        second.private_key.as_bytes(),
        data.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a host name to trust"));

    // Nothing was written: no keychain entry, no row, no trust.
    assert!(!key_in_keychain(&second.id));
    assert!(OsKeychain::new(KEYCHAIN_SERVICE)
        .unwrap()
        .get(&KeyAccount::AgencyOrg)
        .unwrap()
        .is_none());
    assert_eq!(count(data.path(), "client_orgs"), 1);
    assert_eq!(count(data.path(), "trusted_hosts"), 0);
    assert_eq!(sim.handle().request_count(), requests);

    // Named with --trust-host, the host is cleared and the key would go there: `.invalid` never
    // resolves, so the link then fails on the network, and a failed link records nothing.
    let out = agencydesk(
        &[
            "clients",
            "link",
            "--base-url",
            "https://vapi-proxy.invalid",
            "--trust-host",
            "VAPI-PROXY.invalid",
        ],
        second.private_key.as_bytes(),
        data.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not reach Vapi"), "{stderr}");
    assert!(!stderr.contains("--trust-host"), "{stderr}");
    assert!(!key_in_keychain(&second.id));
    assert_eq!(count(data.path(), "client_orgs"), 1);
    assert_eq!(count(data.path(), "trusted_hosts"), 0);
    sim.shutdown().await;
}
