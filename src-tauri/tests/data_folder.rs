//! One data folder, several processes: the real `agencydesk` binary while another process holds
//! one of the data folder's locks (this test binary run again as the ignored test `hold`), and
//! the backup commands as a user runs them, a damaged database included.
//!
//! Real mode keeps keys in the OS keychain, so the real-mode tests re-run themselves inside a
//! throwaway Secret Service (`scripts/with-keychain.sh`); the demo needs none.

mod keychain_support;
mod sync_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use agencydesk_core::store::lock::{DataLock, LockMode, LockName};
use serde_json::Value;
use vapi_sim::{Faults, Sim};

use keychain_support::in_throwaway_keychain;

const HOLD_ENV: &str = "AGENCYDESK_TEST_HOLD";
const HOLD_DIR_ENV: &str = "AGENCYDESK_TEST_HOLD_DIR";

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_ok(out: &Output, what: &str) {
    assert!(out.status.success(), "{what}: {}", stderr(out));
}

/// A lock another process holds until this is dropped.
struct Held {
    child: Child,
}

impl Held {
    fn start(what: &str, dir: &Path) -> Self {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "hold",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(HOLD_ENV, what)
            .env(HOLD_DIR_ENV, dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next() {
            if line.unwrap().trim_end().ends_with("held") {
                // Read the rest, so the helper never writes into a closed pipe.
                std::thread::spawn(move || lines.for_each(drop));
                return Self { child };
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the helper process never held {what}");
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The second process; does nothing unless started by [`Held`].
#[test]
#[ignore = "run by the other tests as their second process"]
fn hold() {
    let Some(what) = std::env::var_os(HOLD_ENV) else {
        return;
    };
    let what = what.to_string_lossy().into_owned();
    let dir = PathBuf::from(std::env::var_os(HOLD_DIR_ENV).unwrap());
    let (name, mode) = match what.as_str() {
        "demo" => (LockName::Demo, LockMode::Exclusive),
        "instance" => (LockName::Instance, LockMode::Shared),
        sync => (
            LockName::Sync {
                org_id: sync.strip_prefix("sync:").unwrap().to_owned(),
            },
            LockMode::Exclusive,
        ),
    };
    let _lock = DataLock::try_acquire(&dir, &name, mode, None).unwrap();
    println!("held");
    std::io::stdout().flush().unwrap();
    let mut rest = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut rest);
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
        assert_ok(&child.wait_with_output().unwrap(), "clients link");
    }
}

fn cached_calls(data_dir: &Path, org_id: &str) -> u64 {
    let out = run(&["calls", "stats", "--json"], data_dir);
    assert_ok(&out, "calls stats");
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    stats
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["orgId"] == org_id)
        .map_or(0, |s| s["calls"].as_u64().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_sync_refuses_an_org_another_process_is_syncing() {
    if !in_throwaway_keychain("cli_sync_refuses_an_org_another_process_is_syncing") {
        return;
    }
    let sim = sync_support::sim(41, 2, 10, 20, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let manifest = sim.manifest();
    let (busy, free) = (&manifest.orgs[0], &manifest.orgs[1]);
    {
        let _app = Held::start(&format!("sync:{}", busy.id), data.path());
        let out = run(&["sync"], data.path());
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("is syncing {}", busy.name)), "{err}");
        assert_eq!(cached_calls(data.path(), &busy.id), 0, "never synced twice");
        assert!(
            cached_calls(data.path(), &free.id) > 0,
            "the other org synced"
        );
    }
    let out = run(&["sync"], data.path());
    assert_ok(&out, "sync after the other process finished");
    assert!(cached_calls(data.path(), &busy.id) > 0);
}

#[test]
fn a_demo_start_never_wipes_a_running_demo() {
    let data = tempfile::tempdir().unwrap();
    let marker = data.path().join("demo").join("still-here");
    std::fs::create_dir_all(marker.parent().unwrap()).unwrap();
    std::fs::write(&marker, "the running demo's data").unwrap();
    {
        let _running = Held::start("demo", data.path());
        let out = run(&["--demo", "clients", "list"], data.path());
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("The demo agency is open in another agencydesk"),
            "{}",
            stderr(&out)
        );
        assert!(marker.exists(), "the running demo's folder was wiped");
    }
    let out = run(&["--demo", "clients", "list"], data.path());
    assert_ok(&out, "demo once the other one closed");
    assert!(!marker.exists(), "a demo start recreates its folder");
}

#[test]
fn backups_list_create_and_restore_and_a_damaged_database_names_the_way_back() {
    if !in_throwaway_keychain(
        "backups_list_create_and_restore_and_a_damaged_database_names_the_way_back",
    ) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let out = run(&["backup", "list"], data.path());
    assert_ok(&out, "backup list");
    assert!(String::from_utf8_lossy(&out.stdout).contains("No backups yet"));

    // Opening the agency made the daily backup; `create` adds a manual one.
    let out = run(&["backup", "create"], data.path());
    assert_ok(&out, "backup create");
    let out = run(&["backup", "list", "--json"], data.path());
    assert_ok(&out, "backup list --json");
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["manual", "daily"], "newest first");
    for backup in list.as_array().unwrap() {
        let file = data
            .path()
            .join("backups")
            .join(backup["id"].as_str().unwrap());
        assert!(file.is_file(), "{}", file.display());
    }

    // Refused while the app has the data folder open.
    {
        let _app = Held::start("instance", data.path());
        let out = run(&["backup", "restore", "--latest"], data.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("another process"), "{}", stderr(&out));
    }

    // A damaged database: a clear error naming the newest backup and the command.
    let db = data.path().join("agencydesk.sqlite");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..100].fill(b'#');
    std::fs::write(&db, &bytes).unwrap();
    let out = run(&["clients", "list"], data.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let newest = list[0]["id"].as_str().unwrap();
    assert!(err.contains("damaged"), "{err}");
    assert!(err.contains(newest), "{err}");
    assert!(err.contains("agencydesk backup restore --latest"), "{err}");
    assert!(
        !db.exists(),
        "moved aside, not replaced by an empty database"
    );
    let out = run(&["clients", "list"], data.path());
    assert_eq!(out.status.code(), Some(1), "still refused on the next run");

    // A file that is not a backup is refused; the newest backup restores.
    let text = data.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let out = run(&["backup", "restore", text.to_str().unwrap()], data.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot be restored"),
        "{}",
        stderr(&out)
    );
    let out = run(&["backup", "restore", "--latest"], data.path());
    assert_ok(&out, "backup restore --latest");
    assert!(String::from_utf8_lossy(&out.stdout).contains(newest));
    assert_ok(
        &run(&["clients", "list"], data.path()),
        "clients list after restore",
    );

    // Rebuilding the cache works on the restored agency and says what it did.
    let out = run(&["cache", "rebuild"], data.path());
    assert_ok(&out, "cache rebuild");
    assert!(String::from_utf8_lossy(&out.stdout).contains("invoice numbers are unchanged"));
}
