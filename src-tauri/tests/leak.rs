//! The promise that matters most: a client's private key lives in the OS keychain and nowhere else.
//!
//! This runs a whole workflow through the real binary on a real agency (not the demo): link a client
//! org, list, re-link, generate snippets, mint a test JWT, sync its calls, list its keys, with
//! `RUST_LOG=trace` so every log line is produced. Then it scans every byte the app left behind:
//! each file under the data directory (the SQLite file, its WAL and shared-memory files, anything
//! else), and everything the processes printed. The key must be found in none of them, and it must
//! be found in the keychain (else the test would pass for a workflow that stored nothing).
//!
//! The same run also covers the paths where a secret could hide from a plain byte scan or come
//! from Vapi rather than from the user: calls served with inline transient assistants, squads and
//! phone numbers that hold provider keys, webhook secrets and `Authorization` headers (one of them
//! the org's own private key) are synced, and every `calls.raw` blob is decompressed (with the
//! org's zstd dictionaries) and searched; every accountant export format and chart (every kind,
//! SVG and PNG) is written and searched too. The key and the injected secrets must be in none.
//!
//! The keychain is a throwaway Secret Service (the test re-runs itself inside
//! `scripts/with-keychain.sh`), never the user's own `agencydesk` entries.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod keychain_support;

use agencydesk::state::KEYCHAIN_SERVICE;
use agencydesk_core::billing::{self, PricingPlan};
use agencydesk_core::keychain::{KeyAccount, OsKeychain, SecretStore};
use agencydesk_core::store::{Store, StoreError};
use agencydesk_core::sync::raw::Decoder;
use chrono::{Days, Utc};
use serde_json::{json, Map, Value};
use vapi_sim::{Sim, SimConfig};

use keychain_support::in_throwaway_keychain;

/// Webhook and provider secrets injected into served calls. Every value is unique to this test,
/// so finding one anywhere means it leaked from a served call.
const INJECTED_SECRETS: &[&str] = &[
    "sk-leaktest-openai-2f9d41c8",
    "whsec-leaktest-server-7a3e55b0",
    "Bearer leaktest-header-c41d9e27",
    "leaktest-twilio-auth-6b8f0d13",
    "leaktest-twilio-api-secret-91ce7a44",
    "dg-leaktest-deepgram-5e0b2d96",
    "el-leaktest-11labs-38a7c1f2",
    "leaktest-squad-member-key-0d4e6a91",
    "leaktest-jwt-secret-a9c3f7e2",
    "leaktest-password-1c5b8d3e",
];

/// Where the injected calls' webhooks point: not a secret, so it must survive (the proof that the
/// injected calls were stored and the scan below read them).
const HOOK_URL: &str = "https://hooks.leak-test.example/vapi";

/// Calls carrying what Vapi may send back inline, with credentials where its objects have them.
/// The last holds the org's own private key in a webhook header.
fn calls_with_secrets(private_key: &str) -> Vec<Map<String, Value>> {
    let server = |secret: &str, auth: &str| json!({"url": HOOK_URL, "secret": secret, "headers": {"Authorization": auth, "X-Trace": "kept"}});
    let calls = [
        json!({
            "assistant": {
                "name": "Leak test transient",
                "model": {"provider": "openai", "model": "gpt-4o", "apiKey": INJECTED_SECRETS[0], "maxTokens": 250},
                "transcriber": {"provider": "deepgram", "deepgramApiKey": INJECTED_SECRETS[5]},
                "voice": {"provider": "11labs", "voiceId": "rachel", "elevenLabsApiKey": INJECTED_SECRETS[6]},
                "server": server(INJECTED_SECRETS[1], INJECTED_SECRETS[2]),
                "credentials": [{"provider": "openai", "apiKey": INJECTED_SECRETS[0]}]
            }
        }),
        json!({
            "squad": {
                "name": "Leak test squad",
                "members": [{
                    "assistant": {
                        "name": "Member",
                        "model": {"provider": "anthropic", "anthropicApiKey": INJECTED_SECRETS[7]},
                        "server": {"url": HOOK_URL, "credential": {"password": INJECTED_SECRETS[9]}}
                    }
                }]
            }
        }),
        json!({
            "phoneNumber": {
                "provider": "twilio",
                "number": "+15550100",
                "twilioAccountSid": "AC-leaktest-sid",
                "twilioAuthToken": INJECTED_SECRETS[3],
                "twilioApiSecret": INJECTED_SECRETS[4],
                "server": server(INJECTED_SECRETS[1], &format!("Bearer {private_key}"))
            },
            "assistantOverrides": {"server": server(INJECTED_SECRETS[1], INJECTED_SECRETS[2])},
            "org": {"jwtSecret": INJECTED_SECRETS[8]}
        }),
    ];
    calls
        .into_iter()
        .map(|c| match c {
            Value::Object(map) => map,
            _ => unreachable!(),
        })
        .collect()
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
    if !in_throwaway_keychain("a_linked_clients_private_key_is_only_in_the_keychain") {
        return;
    }
    let keychain = OsKeychain::new(KEYCHAIN_SERVICE).expect("throwaway keychain");

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
    // Served from now on, synced by the `sync` step below.
    let handle = sim.handle();
    let injected_ids: Vec<String> = calls_with_secrets(&key)
        .into_iter()
        .map(|fields| {
            handle
                .add_call_with_fields(&org.id, fields)
                .expect("inject a call")
        })
        .collect();
    // A plan, so that invoices and the margin chart have something to bill (no CLI sets one).
    Store::open(&dir.join(Store::FILE_NAME))
        .expect("open the store")
        .write(|tx| billing::save_plan(tx, &org.id, &PricingPlan::default()))
        .expect("save a plan");
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

    // Every accountant export format and every chart, over a range holding the synced calls.
    let exports = tempfile::tempdir().expect("temp export dir");
    let out = exports.path();
    let today = Utc::now().date_naive();
    let from = (today - Days::new(7)).to_string();
    let to = today.to_string();
    let period = ["--from", from.as_str(), "--to", to.as_str()];
    let mut outputs: Vec<Vec<String>> = ["generic", "qbo", "xero"]
        .iter()
        .map(|format| {
            let folder = out.join(format);
            std::fs::create_dir(&folder).expect("export folder");
            let mut args = vec!["invoice", "export", "--client", &org.id, "--format", format];
            args.extend(period);
            args.extend(["--allow-unsettled", "--out"]);
            let mut args: Vec<String> = args.into_iter().map(str::to_owned).collect();
            args.push(folder.to_string_lossy().into_owned());
            args
        })
        .collect();
    for kind in ["cost-per-day", "components", "minutes", "margin"] {
        for ext in ["svg", "png"] {
            let mut args = vec!["chart", "--client", &org.id, "--kind", kind];
            args.extend(period);
            args.push("--out");
            let mut args: Vec<String> = args.into_iter().map(str::to_owned).collect();
            args.push(
                out.join(format!("{kind}.{ext}"))
                    .to_string_lossy()
                    .into_owned(),
            );
            outputs.push(args);
        }
    }
    for args in &outputs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = agencydesk(dir, &args, b"");
        assert!(
            run.output.status.success(),
            "`agencydesk {}` failed: {}",
            run.label,
            String::from_utf8_lossy(&run.output.stderr)
        );
        runs.push(run);
    }
    let written = files_under(out);
    let csvs = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .count();
    assert!(csvs >= 3, "one CSV per format at least: {written:?}");
    assert_eq!(
        written.len() - csvs,
        8,
        "every chart written (4 kinds, SVG and PNG): {written:?}"
    );
    for path in &written {
        let bytes = std::fs::read(path).expect("read export");
        assert!(!bytes.is_empty(), "{} is empty", path.display());
        for secret in std::iter::once(key.as_str()).chain(INJECTED_SECRETS.iter().copied()) {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret:?} is in the export {}",
                path.display()
            );
        }
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
    for path in &files {
        let bytes = std::fs::read(path).expect("read data file");
        for secret in INJECTED_SECRETS {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{secret:?} is in {}",
                path.display()
            );
        }
    }
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
            for secret in INJECTED_SECRETS {
                assert!(
                    !contains(bytes, secret.as_bytes()),
                    "`agencydesk {}` printed {secret:?} on {stream}",
                    run.label
                );
            }
        }
    }

    // The cached calls as the app reads them: every `calls.raw` blob decompressed (most are zstd
    // frames, many with a dictionary, where a byte scan of the file sees nothing).
    let store = Store::open(&dir.join(Store::FILE_NAME)).expect("open the store");
    let stored: Vec<(String, String)> = store
        .read(|c| {
            let mut decoder = Decoder::new();
            let mut query = c.prepare("SELECT id, raw FROM calls WHERE org_id = ?1")?;
            let rows = query
                .query_map([&org.id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, StoreError>(
                rows.into_iter()
                    .map(|(id, blob)| {
                        let text = decoder
                            .decode(c, &blob)
                            .unwrap_or_else(|e| panic!("decode call {id}: {e}"));
                        (id, text)
                    })
                    .collect(),
            )
        })
        .expect("read the cached calls");
    assert_eq!(
        stored.len(),
        handle.call_count(&org.id),
        "every served call is cached"
    );
    let compressed: i64 = store
        .read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT count(*) FROM calls WHERE org_id = ?1 AND substr(raw, 1, 1) <> '{'",
                [&org.id],
                |r| r.get(0),
            )?)
        })
        .expect("count compressed rows");
    assert!(
        compressed > 0,
        "no blob was compressed: the decoding went untested"
    );
    for (id, text) in &stored {
        assert!(
            !text.contains(key.as_str()),
            "the private key is in the cached call {id}"
        );
        for secret in INJECTED_SECRETS {
            assert!(
                !text.contains(secret),
                "{secret:?} is in the cached call {id}: {text}"
            );
        }
    }
    // The injected calls were cached with what is not secret in them: the scan read them.
    for id in &injected_ids {
        let (_, text) = stored
            .iter()
            .find(|(stored_id, _)| stored_id == id)
            .unwrap_or_else(|| panic!("the injected call {id} is not cached"));
        assert!(text.contains(HOOK_URL), "{id} lost its webhook URL: {text}");
    }
    drop(store);
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
