//! The promise that matters most: a client's private key lives in the OS keychain and nowhere else.
//!
//! This runs a whole workflow through the real binary on a real agency (not the demo): link a client
//! org, list, re-link, generate snippets, mint a test JWT, sync its calls, list its keys, with
//! `RUST_LOG=trace` so every log line is produced. Then it scans every byte the app left behind:
//! each file under the data directory (the SQLite file, its WAL and shared-memory files, anything
//! else), and everything the processes printed. The key must be found in none of them, and it must
//! be found in the keychain (else the test would pass for a workflow that stored nothing).
//!
//! Needs a Secret Service: `make test` runs the tests inside `scripts/with-keychain.sh` with
//! `AGENCYDESK_REQUIRE_KEYCHAIN=1`, where a missing keychain fails this test instead of skipping it.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use agencydesk_core::keychain::{KeyAccount, OsKeychain, SecretStore};
use vapi_sim::{Sim, SimConfig};

/// The keychain service the product uses (src-tauri/src/state.rs): the test checks the real entry.
const SERVICE: &str = "agencydesk";

fn keychain_required() -> bool {
    std::env::var("AGENCYDESK_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1")
}

struct Run {
    label: String,
    output: Output,
}

fn agencydesk(data_dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start agencydesk");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    let output = child.wait_with_output().expect("agencydesk output");
    Run {
        label: args.join(" "),
        output,
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read data dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

// Multi-threaded: the simulator keeps serving while this thread waits for each CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_clients_private_key_is_only_in_the_keychain() {
    let keychain = match OsKeychain::new(SERVICE) {
        Ok(k) => k,
        Err(e) if keychain_required() => {
            panic!("AGENCYDESK_REQUIRE_KEYCHAIN=1 but no keychain: {e}")
        }
        Err(e) => {
            eprintln!("SKIPPED: no OS keychain here ({e}); run through scripts/with-keychain.sh");
            return;
        }
    };

    let sim = Sim::start(
        SimConfig {
            seed: 11,
            orgs: 2,
            days: 5,
            calls_per_day: 15,
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .expect("simulator");
    let manifest = sim.manifest();
    let org = &manifest.orgs[0];
    let key = org.private_key.clone();
    let public_key = org.public_keys.first().expect("seeded public key");
    let assistant = org.assistants.first().expect("seeded assistant");
    let url = sim.url();
    let data = tempfile::tempdir().expect("temp data dir");
    let dir = data.path();

    let mut runs = vec![agencydesk(
        dir,
        &["clients", "link", "--base-url", &url],
        key.as_bytes(),
    )];
    assert!(
        runs[0].output.status.success(),
        "link failed: {}",
        String::from_utf8_lossy(&runs[0].output.stderr)
    );
    // The rest of the workflow. Each must succeed, so the scan covers what they really wrote.
    let steps: Vec<(Vec<&str>, &[u8])> = vec![
        (vec!["clients", "list", "--json"], b""),
        (vec!["clients", "link", "--base-url", &url], key.as_bytes()),
        (
            vec![
                "snippet",
                "--org",
                &org.id,
                "--key",
                &public_key.id,
                "--assistant",
                &assistant.id,
                "--kind",
                "web-sdk",
            ],
            b"",
        ),
        (
            vec![
                "snippet",
                "--org",
                &org.id,
                "--assistant",
                &assistant.id,
                "--kind",
                "jwt-node",
                "--site-origin",
                "https://client.example",
            ],
            b"",
        ),
        (
            vec![
                "jwt",
                "mint",
                "--org",
                &org.id,
                "--origin",
                "https://client.example",
                "--assistant",
                &assistant.id,
                "--ttl",
                "1m",
            ],
            b"",
        ),
        (vec!["sync", "--org", &org.id], b""),
        (vec!["calls", "stats", "--json"], b""),
        (vec!["keys", "list", "--org", &org.id, "--json"], b""),
    ];
    for (args, stdin) in steps {
        let run = agencydesk(dir, &args, stdin);
        assert!(
            run.output.status.success(),
            "`agencydesk {}` failed: {}",
            run.label,
            String::from_utf8_lossy(&run.output.stderr)
        );
        runs.push(run);
    }

    // Not vacuous: the workflow did store the key, in the keychain, under the org's entry.
    let stored = keychain
        .get(&KeyAccount::ClientOrg(org.id.clone()))
        .expect("read keychain")
        .expect("the linked org's key is in the keychain");
    assert_eq!(stored.expose(), &key);

    let files = files_under(dir);
    let mut saw_org_in_a_file = false;
    for path in &files {
        let bytes = std::fs::read(path).expect("read data file");
        assert!(
            !contains(&bytes, key.as_bytes()),
            "the private key is in {}",
            path.display()
        );
        saw_org_in_a_file |= contains(&bytes, org.id.as_bytes());
    }
    // The scan read real data (the database or its WAL holds the org), not empty files.
    assert!(
        saw_org_in_a_file,
        "no file under the data dir mentions the org: {files:?}"
    );
    assert!(
        files
            .iter()
            .any(|p| p.to_string_lossy().ends_with(".sqlite")),
        "no database file found: {files:?}"
    );
    for run in &runs {
        for (stream, bytes) in [
            ("stdout", &run.output.stdout),
            ("stderr", &run.output.stderr),
        ] {
            assert!(
                !contains(bytes, key.as_bytes()),
                "`agencydesk {}` printed the private key on {stream}",
                run.label
            );
        }
    }
    // trace logging really ran, so "nothing in the logs" means something.
    assert!(
        runs.iter().any(|r| !r.output.stderr.is_empty()),
        "no log output at RUST_LOG=trace"
    );

    keychain
        .delete(&KeyAccount::ClientOrg(org.id.clone()))
        .expect("clean up keychain entry");
    sim.shutdown().await;
}
