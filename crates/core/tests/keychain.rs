//! The OS keychain, for real: run these inside a Secret Service session, e.g.
//!
//!   scripts/with-keychain.sh cargo test -p agencydesk-core --test keychain
//!
//! Without a reachable Secret Service the tests print SKIPPED and pass, unless
//! `AGENCYDESK_REQUIRE_KEYCHAIN=1` (set by `make test`), where they fail.
//!
//! Some checks need a second process (a key surviving a restart, a session without any
//! keychain). They re-run this test binary with `--exact child_process_entry` and a role in
//! `CHILD_ROLE`; `child_process_entry` does nothing in a normal run.

use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::keychain::{KeyAccount, KeychainError, OsKeychain, SecretStore};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::OrgStatus;

const CHILD_ROLE: &str = "AGENCYDESK_TEST_CHILD_ROLE";
const CHILD_SERVICE: &str = "AGENCYDESK_TEST_CHILD_SERVICE";
const CHILD_SECRET: &str = "AGENCYDESK_TEST_CHILD_SECRET";
const WRITER_DONE: &str = "CHILD-WRITER-STORED-KEY";
const NO_KEYCHAIN_DONE: &str = "CHILD-NO-KEYCHAIN-CHECKED";
const NO_KEYRING_DONE: &str = "CHILD-NO-KEYRING-CHECKED";

/// The Secret Service misbehaves under concurrent access; one test at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn unique(tag: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("agencydesk-test-{tag}-{}-{nanos}", std::process::id())
}

fn required() -> bool {
    std::env::var("AGENCYDESK_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1")
}

/// The keychain, or `None` (after saying so loudly) when there is none and none is required.
fn keychain(service: &str) -> Option<OsKeychain> {
    match OsKeychain::new(service) {
        Ok(k) => Some(k),
        Err(e) if required() => panic!("AGENCYDESK_REQUIRE_KEYCHAIN=1 but no keychain: {e}"),
        Err(e) => {
            // Straight to stderr: libtest captures `eprintln!` of passing tests, and a skip
            // must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: no OS keychain (run inside scripts/with-keychain.sh): {e}"
            );
            None
        }
    }
}

fn run_child(role: &str, envs: &[(&str, &str)]) -> std::process::Output {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        "child_process_entry",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ROLE, role);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn set_read_back_from_a_fresh_instance_then_delete() {
    let _g = serial();
    let service = unique("roundtrip");
    let Some(first) = keychain(&service) else {
        return;
    };
    let account = KeyAccount::ClientOrg("org-roundtrip".into());
    let key = SecretKey::new(unique("secret-value"));
    first.set(&account, &key).unwrap();

    let second = OsKeychain::new(&service).unwrap();
    assert_eq!(
        second.get(&account).unwrap().unwrap().expose(),
        key.expose()
    );
    // Another org's entry and another service see nothing.
    assert!(second
        .get(&KeyAccount::ClientOrg("org-other".into()))
        .unwrap()
        .is_none());
    let other_service = OsKeychain::new(&unique("other-service")).unwrap();
    assert!(other_service.get(&account).unwrap().is_none());

    second.delete(&account).unwrap();
    assert!(first.get(&account).unwrap().is_none());
    assert_eq!(first.describe(), "Secret Service");
}

#[test]
fn overwriting_replaces_the_key() {
    let _g = serial();
    let service = unique("overwrite");
    let Some(keychain) = keychain(&service) else {
        return;
    };
    let account = KeyAccount::AgencyOrg;
    keychain
        .set(&account, &SecretKey::new("first-key".into()))
        .unwrap();
    keychain
        .set(&account, &SecretKey::new("second-key".into()))
        .unwrap();
    let fresh = OsKeychain::new(&service).unwrap();
    assert_eq!(fresh.get(&account).unwrap().unwrap().expose(), "second-key");
    fresh.delete(&account).unwrap();
}

#[test]
fn missing_entries_are_none_and_deleting_them_is_fine() {
    let _g = serial();
    let Some(keychain) = keychain(&unique("missing")) else {
        return;
    };
    let account = KeyAccount::ClientOrg("never-stored".into());
    assert!(keychain.get(&account).unwrap().is_none());
    keychain.delete(&account).unwrap();
    keychain.probe().unwrap();
}

#[test]
fn a_key_survives_a_process_restart() {
    let _g = serial();
    let service = unique("restart");
    let Some(keychain) = keychain(&service) else {
        return;
    };
    let secret = unique("restart-secret");
    let out = run_child(
        "writer",
        &[(CHILD_SERVICE, &service), (CHILD_SECRET, &secret)],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(WRITER_DONE),
        "writer child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let account = KeyAccount::ClientOrg("org-restart".into());
    let read = keychain.get(&account).unwrap();
    assert_eq!(
        read.as_ref().map(|k| k.expose().as_str()),
        Some(secret.as_str())
    );
    keychain.delete(&account).unwrap();
}

#[test]
fn no_keychain_is_unavailable_with_a_clear_message() {
    let _g = serial();
    let out = run_child(
        "no-keychain",
        &[
            (
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/agencydesk-test/bus",
            ),
            ("AGENCYDESK_REQUIRE_KEYCHAIN", "0"),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(NO_KEYCHAIN_DONE),
        "no-keychain child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A D-Bus session where the Secret Service is started on demand (D-Bus activation of
/// gnome-keyring) in a home that never had a keyring: there is nothing to unlock, so the error
/// must say "no keyring", not "locked".
#[test]
fn a_secret_service_without_any_keyring_is_not_called_locked() {
    let _g = serial();
    let activatable =
        std::path::Path::new("/usr/share/dbus-1/services/org.freedesktop.secrets.service");
    let has_session_tool = Command::new("dbus-run-session")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !activatable.exists() || !has_session_tool {
        assert!(
            !required(),
            "AGENCYDESK_REQUIRE_KEYCHAIN=1 but dbus-run-session or gnome-keyring is missing"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: needs dbus-run-session and an activatable gnome-keyring"
        );
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let runtime = home.path().join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let out = Command::new("dbus-run-session")
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ROLE, "no-keyring")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("AGENCYDESK_REQUIRE_KEYCHAIN", "0")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("GNOME_KEYRING_CONTROL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(NO_KEYRING_DONE),
        "no-keyring child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Entry point of the child processes above; a no-op in a normal test run.
#[test]
fn child_process_entry() {
    match std::env::var(CHILD_ROLE).as_deref() {
        Ok("writer") => {
            let service = std::env::var(CHILD_SERVICE).unwrap();
            let secret = std::env::var(CHILD_SECRET).unwrap();
            let keychain = OsKeychain::new(&service).unwrap();
            keychain
                .set(
                    &KeyAccount::ClientOrg("org-restart".into()),
                    &SecretKey::new(secret),
                )
                .unwrap();
            println!("{WRITER_DONE}");
        }
        Ok("no-keychain") => {
            let err = OsKeychain::new(&unique("no-bus")).unwrap_err();
            assert!(
                matches!(err, KeychainError::Unavailable { .. }),
                "expected Unavailable, got {err:?}"
            );
            let message = err.to_string();
            for needle in [
                "No OS keychain is reachable",
                "never stores API keys in plain text",
                "gnome-keyring",
            ] {
                assert!(
                    message.contains(needle),
                    "{needle:?} missing from: {message}"
                );
            }
            let code = agencydesk_core::error::CoreError::from(err).code();
            assert_eq!(code, agencydesk_core::error::Code::KeychainUnavailable);
            println!("{NO_KEYCHAIN_DONE}");
        }
        Ok("no-keyring") => {
            let err = OsKeychain::new(&unique("no-keyring")).unwrap_err();
            assert!(
                matches!(err, KeychainError::NoKeyring { .. }),
                "expected NoKeyring, got {err:?}"
            );
            let message = err.to_string();
            assert!(message.contains("no keyring to keep keys in"), "{message}");
            assert!(!message.contains("locked"), "{message}");
            let code = agencydesk_core::error::CoreError::from(err).code();
            assert_eq!(code, agencydesk_core::error::Code::KeychainUnavailable);
            println!("{NO_KEYRING_DONE}");
        }
        _ => {}
    }
}

/// The link workflow with the real keychain: the key lands in the keychain, only its
/// fingerprint in SQLite, and unlinking removes both.
#[test]
fn linking_stores_the_key_in_the_os_keychain_only() {
    // The lock is held outside the async part, for the whole runtime's life.
    let _g = serial();
    let service = unique("agency");
    let Some(keychain) = keychain(&service) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(link_and_unlink(Arc::new(keychain), &service));
}

async fn link_and_unlink(keychain: Arc<dyn SecretStore>, service: &str) {
    let sim = vapi_sim::Sim::start(
        vapi_sim::SimConfig {
            orgs: 1,
            days: 1,
            calls_per_day: 2,
            ..vapi_sim::SimConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let org = sim.manifest().orgs[0].clone();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), keychain).unwrap();

    let view = agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    assert_eq!(view.id, org.id);
    assert_eq!(view.status, OrgStatus::Linked);

    let fresh = OsKeychain::new(service).unwrap();
    let account = KeyAccount::ClientOrg(org.id.clone());
    assert_eq!(
        fresh.get(&account).unwrap().unwrap().expose(),
        &org.private_key
    );
    let expected_fp = SecretKey::new(org.private_key.clone()).fingerprint();
    assert_eq!(view.key_fingerprint.as_deref(), Some(expected_fp.as_str()));
    for file in ["agencydesk.sqlite", "agencydesk.sqlite-wal"] {
        let bytes = std::fs::read(data.path().join(file)).unwrap_or_default();
        assert!(
            !bytes
                .windows(org.private_key.len())
                .any(|w| w == org.private_key.as_bytes()),
            "private key found in {file}"
        );
    }

    agency.unlink_client(&org.id).await.unwrap();
    assert!(fresh.get(&account).unwrap().is_none());
    assert!(agency.list_clients().unwrap().is_empty());
    sim.shutdown().await;
}
