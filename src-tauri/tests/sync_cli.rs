//! `agencydesk sync` and `agencydesk calls stats` as a user runs them: the real binary, a real
//! data folder, a simulator served by this test process on 127.0.0.1.
//!
//! Real mode keeps keys in the OS keychain. So that nothing lands in a developer's own keychain,
//! each real-mode test re-runs itself inside a throwaway, unlocked Secret Service
//! (`scripts/with-keychain.sh`) and does its work there; `--demo` needs no keychain.

mod keychain_support;
mod sync_support;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use vapi_sim::{Faults, Sim};

use keychain_support::in_throwaway_keychain;
use sync_support::{assert_cache_equals_sim, cost_sum, newest_update, sim_calls, usd_text};

fn command(args: &[&str], data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agencydesk"));
    cmd.args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    cmd
}

fn run(args: &[&str], data_dir: &Path) -> Output {
    command(args, data_dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Links every simulated org into the real agency of `data_dir`, keys on standard input.
fn link_all(sim: &Sim, data_dir: &Path) {
    let manifest = sim.manifest();
    for org in &manifest.orgs {
        let mut child = command(&["clients", "link", "--base-url", &manifest.url], data_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(org.private_key.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "linking {}: {}",
            org.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `calls stats --json` equals the simulator for every org: count, exact cost sum, newest update.
fn assert_stats_equal_sim(sim: &Sim, data_dir: &Path) {
    let out = run(&["calls", "stats", "--json"], data_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats = json_of(&out);
    let handle = sim.handle();
    let manifest = sim.manifest();
    assert_eq!(
        stats.as_array().unwrap().len(),
        manifest.orgs.len(),
        "{stats}"
    );
    for org in &manifest.orgs {
        let want = sim_calls(&handle, &org.id);
        let got = stats
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["orgId"] == org.id.as_str())
            .unwrap_or_else(|| panic!("{} missing from {stats}", org.name));
        assert_eq!(got["orgName"], org.name.as_str());
        assert_eq!(got["calls"], want.len() as u64, "{}", org.name);
        assert_eq!(got["costSumMicros"], cost_sum(&want), "{}", org.name);
        assert_eq!(
            got["costSum"],
            usd_text(cost_sum(&want)).as_str(),
            "{}",
            org.name
        );
        assert_eq!(
            got["newestUpdatedAt"].as_str(),
            newest_update(&want).as_deref(),
            "{}",
            org.name
        );
    }
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_then_stats_equals_the_simulator() {
    if !in_throwaway_keychain("sync_then_stats_equals_the_simulator") {
        return;
    }
    let sim = sync_support::sim(31, 3, 30, 40, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());

    let out = run(&["sync", "--json"], data.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = json_of(&out);
    assert_eq!(summary["ok"], true, "{summary}");
    assert!(summary["elapsedMs"].is_u64());
    let orgs = summary["orgs"].as_array().unwrap();
    assert_eq!(orgs.len(), 3);
    for org in orgs {
        let id = org["orgId"].as_str().unwrap();
        let in_sim = sim.handle().call_count(id) as u64;
        assert_eq!(org["outcome"], "done", "{org}");
        assert_eq!(org["backfill"], true, "{org}");
        assert_eq!(org["cachedCalls"], in_sim, "{org}");
        // Calls at a page edge are read twice (and stored once).
        assert!(org["calls"].as_u64().unwrap() >= in_sim, "{org}");
        assert!(org["pages"].as_u64().unwrap() >= 1, "{org}");
        assert!(org["durationMs"].is_u64(), "{org}");
        assert!(org["watermark"].is_string(), "{org}");
        assert!(org["error"].is_null(), "{org}");
    }
    assert_stats_equal_sim(&sim, data.path());
    let store = sync_support::open_store(data.path());
    for org in sim.manifest().orgs {
        assert_cache_equals_sim(&store, &sim.handle(), &org.id);
    }

    // New calls, then a sync without --json: a plain summary (stdout is not a terminal here,
    // so no progress lines and no escape codes), and the cache follows.
    let first = &sim.manifest().orgs[0];
    sim.handle().add_calls(&first.id, 25, None);
    let out = run(&["sync"], data.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Synced 3 of 3 orgs in "), "{text}");
    assert!(!text.contains('\x1b'), "escape codes on a pipe: {text:?}");
    assert!(text.contains(&first.name), "{text}");
    assert_stats_equal_sim(&sim, data.path());

    // One org only.
    let out = run(
        &["calls", "stats", "--org", &first.id, "--json"],
        data.path(),
    );
    assert!(out.status.success());
    let one = json_of(&out);
    assert_eq!(one.as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one[0]["orgId"], first.id.as_str());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_fails_its_org_alone() {
    if !in_throwaway_keychain("a_revoked_key_fails_its_org_alone") {
        return;
    }
    let sim = sync_support::sim(32, 3, 20, 30, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let manifest = sim.manifest();
    let revoked = &manifest.orgs[1];
    assert!(sim
        .handle()
        .revoke_private_key(&revoked.id, &revoked.private_key));

    let out = run(&["sync", "--json"], data.path());
    assert_eq!(out.status.code(), Some(1), "a failed org fails the command");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the sync of {} ({}) failed",
            revoked.name, revoked.id
        )),
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("key"), "says why: {stderr}");
    for org in &manifest.orgs {
        if org.id != revoked.id {
            assert!(!stderr.contains(&org.name), "{} named: {stderr}", org.name);
        }
    }
    let summary = json_of(&out);
    assert_eq!(summary["ok"], false);
    let store = sync_support::open_store(data.path());
    for org in summary["orgs"].as_array().unwrap() {
        let id = org["orgId"].as_str().unwrap();
        if id == revoked.id {
            assert_eq!(org["outcome"], "failed", "{org}");
            assert_eq!(org["error"]["code"], "Unauthorized", "{org}");
            assert_eq!(org["cachedCalls"], 0);
        } else {
            assert_eq!(org["outcome"], "done", "{org}");
            assert_cache_equals_sim(&store, &sim.handle(), id);
        }
    }

    // The list shows the org needs its key again.
    let out = run(&["clients", "list", "--json"], data.path());
    let clients = json_of(&out);
    let listed = clients
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == revoked.id.as_str())
        .unwrap();
    assert_eq!(listed["status"], "key_rejected", "{listed}");
    sim.shutdown().await;
}

/// Calls cached so far in the data folder's database (0 before it exists).
fn cached_count(data_dir: &Path) -> i64 {
    let db = data_dir.join(agencydesk_core::store::Store::FILE_NAME);
    if !db.exists() {
        return 0;
    }
    let store = agencydesk_core::store::Store::open(&db).unwrap();
    store
        .read(|c| {
            Ok::<_, agencydesk_core::store::StoreError>(c.query_row(
                "SELECT COUNT(*) FROM calls",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

fn kill_hard(child: &mut Child) {
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no rollback hook runs.
}

/// `agencydesk sync` killed with SIGKILL mid-way (a real process kill) leaves a cache that the
/// next `agencydesk sync` completes exactly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_way_resumes_exactly() {
    if !in_throwaway_keychain("a_sync_killed_mid_way_resumes_exactly") {
        return;
    }
    let sim = sync_support::sim(33, 3, 90, 50, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let total: i64 = sim
        .manifest()
        .orgs
        .iter()
        .map(|o| sim.handle().call_count(&o.id) as i64)
        .sum();
    // Every answer slow, so the kill lands between pages rather than after the last.
    sim.handle().set_faults(Faults {
        slow_rate: 1.0,
        slow_ms: 400,
        seed: 5,
        ..Faults::default()
    });

    let mut child = command(&["sync"], data.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut stored = 0;
    while stored < 1000 {
        assert!(Instant::now() < deadline, "no page stored in time");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sync ended before any page was seen"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        stored = cached_count(data.path());
    }
    kill_hard(&mut child);
    let status = child.wait().unwrap();
    assert!(!status.success(), "the sync finished before it was killed");
    let at_kill = cached_count(data.path());
    assert!(
        at_kill < total,
        "everything was stored before the kill ({at_kill} of {total})"
    );

    // What was stored is consistent: every cached call is exactly the simulator's, and a pass
    // is recorded as unfinished.
    let store = sync_support::open_store(data.path());
    let unfinished: i64 = store
        .read(|c| {
            Ok::<_, agencydesk_core::store::StoreError>(c.query_row(
                "SELECT COUNT(*) FROM sync_state WHERE pass_started_at IS NOT NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(unfinished > 0, "no pass was interrupted");
    for org in sim.manifest().orgs {
        let want = sim_calls(&sim.handle(), &org.id);
        for (id, figures) in sync_support::cached_calls(&store, &org.id) {
            assert_eq!(Some(&figures), want.get(&id), "call {id}");
        }
    }
    drop(store);

    sim.handle().set_faults(Faults::default());
    let out = run(&["sync"], data.path());
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let store = sync_support::open_store(data.path());
    for org in sim.manifest().orgs {
        assert_cache_equals_sim(&store, &sim.handle(), &org.id);
    }
    assert_stats_equal_sim(&sim, data.path());
    sim.shutdown().await;
}

/// The demo needs no keychain: its own simulator, its own data folder.
#[test]
fn demo_sync_json_reports_every_org() {
    let data = tempfile::tempdir().unwrap();
    let out = run(&["--demo", "sync", "--json"], data.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = json_of(&out);
    assert_eq!(summary["ok"], true, "{summary}");
    let orgs = summary["orgs"].as_array().unwrap();
    assert_eq!(orgs.len(), agencydesk::demo::CLIENT_ORGS);
    for org in orgs {
        assert_eq!(org["outcome"], "done", "{org}");
        assert!(org["cachedCalls"].as_u64().unwrap() > 0, "{org}");
        assert!(org["orgName"].is_string() && org["orgId"].is_string());
    }
    // No progress lines when stdout is not a terminal.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unknown_org_is_refused_plainly() {
    let data = tempfile::tempdir().unwrap();
    let out = run(&["--demo", "sync", "--org", "no-such-org"], data.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-org"), "{stderr}");
    let out = run(
        &["--demo", "calls", "stats", "--org", "no-such-org", "--json"],
        data.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

/// An org whose keychain entry was deleted outside agencydesk (here: by this test process, not
/// by the CLI) fails alone with "link this org again", and `clients list` says `key_missing`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_deleted_from_the_keychain_fails_its_org_alone() {
    use agencydesk::state::KEYCHAIN_SERVICE;
    use agencydesk_core::keychain::{KeyAccount, OsKeychain, SecretStore};
    if !in_throwaway_keychain("a_key_deleted_from_the_keychain_fails_its_org_alone") {
        return;
    }
    let sim = sync_support::sim(33, 3, 5, 10, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let manifest = sim.manifest();
    let gone = &manifest.orgs[2];
    OsKeychain::new(KEYCHAIN_SERVICE)
        .unwrap()
        .delete(&KeyAccount::ClientOrg(gone.id.clone()))
        .unwrap();

    let out = run(&["sync", "--json"], data.path());
    assert_eq!(out.status.code(), Some(1), "a failed org fails the command");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("the sync of {} ({}) failed", gone.name, gone.id)),
        "{stderr}"
    );
    assert!(stderr.contains("missing from the keychain"), "{stderr}");
    assert!(stderr.contains("Link this org again"), "{stderr}");
    let summary = json_of(&out);
    let store = sync_support::open_store(data.path());
    for org in summary["orgs"].as_array().unwrap() {
        let id = org["orgId"].as_str().unwrap();
        if id == gone.id {
            assert_eq!(org["outcome"], "failed", "{org}");
            assert_eq!(org["error"]["code"], "Unauthorized", "{org}");
        } else {
            assert_eq!(org["outcome"], "done", "{org}");
            assert_cache_equals_sim(&store, &sim.handle(), id);
        }
    }
    let clients = json_of(&run(&["clients", "list", "--json"], data.path()));
    let listed = clients
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == gone.id.as_str())
        .unwrap();
    assert_eq!(listed["status"], "key_missing", "{listed}");
    assert!(
        listed["nextStep"]
            .as_str()
            .unwrap()
            .contains("Link this org again"),
        "{listed}"
    );
    sim.shutdown().await;
}

/// The throwaway keyring locked through the Secret Service (with dbus-send, as another program
/// would): `agencydesk sync` fails every org with "the keychain is locked", writes no call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_keyring_fails_the_sync_plainly() {
    if !in_throwaway_keychain("a_locked_keyring_fails_the_sync_plainly") {
        return;
    }
    let sim = sync_support::sim(34, 2, 5, 10, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let secret_service = |method: &str, arg: &str| {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                &format!("org.freedesktop.Secret.Service.{method}"),
                arg,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let alias = secret_service("ReadAlias", "string:default");
    let collection = alias.split('"').nth(1).unwrap().to_owned();
    secret_service("Lock", &format!("array:objpath:{collection}"));

    let out = run(&["sync", "--json"], data.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("keychain is locked"), "{stderr}");
    assert!(stderr.contains("Unlock it"), "{stderr}");
    let summary = json_of(&out);
    for org in summary["orgs"].as_array().unwrap() {
        assert_eq!(org["outcome"], "failed", "{org}");
        assert_eq!(org["error"]["code"], "KeychainLocked", "{org}");
    }
    assert_eq!(cached_count(data.path()), 0, "nothing written");
    sim.shutdown().await;
}
