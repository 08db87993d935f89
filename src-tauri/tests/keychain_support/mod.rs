//! Real-mode tests keep keys in the OS keychain. So that nothing lands in a developer's own
//! keychain, such a test re-runs itself inside a throwaway, unlocked Secret Service
//! (`scripts/with-keychain.sh`) and does its work there.

use std::process::Command;

/// Set in the re-run inside the throwaway keychain.
const INSIDE_KEYCHAIN: &str = "AGENCYDESK_TEST_IN_THROWAWAY_KEYCHAIN";

/// Whether this process may use the OS keychain. If not, re-runs `test` (this test's name)
/// inside `scripts/with-keychain.sh`, checks that it passed, and returns false: the caller then
/// returns, its work done by the re-run.
pub fn in_throwaway_keychain(test: &str) -> bool {
    if std::env::var_os(INSIDE_KEYCHAIN).is_some() {
        return true;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/with-keychain.sh");
    let out = Command::new(script)
        .arg("env")
        .arg(format!("{INSIDE_KEYCHAIN}=1"))
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{test} inside the keychain:\n{text}");
    // `--exact` with a wrong name would run nothing and still succeed.
    assert!(text.contains("1 passed"), "{test} did not run:\n{text}");
    false
}
