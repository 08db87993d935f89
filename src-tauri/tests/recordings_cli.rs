//! `agencydesk recordings archive` as a user runs it: the real binary on a real data folder,
//! killed with SIGKILL mid-archive and run again: the second run fetches only what the first did
//! not finish, and every archived file matches its recorded checksum.

mod cli_support;
mod keychain_support;
mod sync_support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use vapi_sim::Faults;

use cli_support::{json_of, link_all, ok, run};
use keychain_support::in_throwaway_keychain;

fn files(dir: &Path, suffix: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p, suffix));
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
    out
}

/// `(path, sha256)` of every archived row.
fn archived_rows(data_dir: &Path) -> Vec<(String, String)> {
    let store = sync_support::open_store(data_dir);
    store
        .read(|c| {
            let mut s =
                c.prepare("SELECT path, sha256 FROM call_recordings WHERE state = 'archived'")?;
            let v = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, agencydesk_core::store::StoreError>(v)
        })
        .unwrap()
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archive_killed_mid_way_resumes_without_fetching_again() {
    if !in_throwaway_keychain("an_archive_killed_mid_way_resumes_without_fetching_again") {
        return;
    }
    let sim = sync_support::sim(21, 1, 3, 20, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    ok(&run(&["sync"], data.path()));
    let archive = data.path().join("archive");

    // Every answer slow, so the kill lands mid-archive.
    sim.handle().set_faults(Faults {
        slow_rate: 1.0,
        slow_ms: 150,
        seed: 3,
        ..Faults::default()
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(["recordings", "archive"])
        .env("AGENCYDESK_DATA_DIR", data.path())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while files(&archive, ".wav").len() < 3 {
        assert!(Instant::now() < deadline, "no recording archived in time");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the archive ended before it was killed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no clean-up runs.
    assert!(!child.wait().unwrap().success());
    let at_kill = archived_rows(data.path()).len() as u64;
    assert!(at_kill > 0);

    sim.handle().set_faults(Faults::default());
    let before = sim.handle().request_count();
    let out = run(&["recordings", "archive", "--json"], data.path());
    ok(&out);
    let report = json_of(&out);
    let p = &report["progress"];
    let n = |k: &str| p[k].as_u64().unwrap();
    assert_eq!(n("failed"), 0, "{report}");
    assert_eq!(n("already"), at_kill, "{report}");
    assert!(
        n("archived") > 0,
        "everything was archived before the kill: {report}"
    );
    assert_eq!(
        n("archived") + n("already") + n("withoutRecording"),
        n("total")
    );
    // Only the calls left over were asked for: two requests a recording (the authenticated
    // one and its signed URL), one for a call without.
    let requests = sim.handle().request_count() - before;
    assert_eq!(
        requests,
        2 * n("archived") + n("withoutRecording"),
        "{report}"
    );

    let rows = archived_rows(data.path());
    assert_eq!(rows.len() as u64, n("archived") + at_kill);
    for (path, sha) in &rows {
        let bytes = std::fs::read(archive.join(path)).unwrap();
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&got, sha, "{path}");
    }
    assert_eq!(files(&archive, ".wav").len(), rows.len());
    assert!(
        files(&archive, ".partial").is_empty(),
        "a half file was left behind"
    );

    // A third run fetches nothing.
    let before = sim.handle().request_count();
    let report = json_of(&run(&["recordings", "archive", "--json"], data.path()));
    assert_eq!(report["progress"]["archived"], 0);
    assert_eq!(sim.handle().request_count(), before);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_archive_moves_and_the_next_run_uses_the_new_folder() {
    if !in_throwaway_keychain("the_archive_moves_and_the_next_run_uses_the_new_folder") {
        return;
    }
    let sim = sync_support::sim(22, 1, 2, 4, Faults::default()).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    ok(&run(&["sync"], data.path()));
    let first = json_of(&run(&["recordings", "archive", "--json"], data.path()));
    let archived = first["progress"]["archived"].as_u64().unwrap();
    assert!(archived > 0, "{first}");
    let old = data.path().join("archive");

    let location = json_of(&run(&["recordings", "location", "--json"], data.path()));
    assert_eq!(location["folder"], old.display().to_string());
    assert_eq!(location["isDefault"], true);
    assert_eq!(location["files"], archived);

    // A folder holding other things is refused, and nothing moves.
    let busy = tempfile::tempdir().unwrap();
    std::fs::write(busy.path().join("notes.txt"), "mine").unwrap();
    let refused = run(
        &["recordings", "move", busy.path().to_str().unwrap()],
        data.path(),
    );
    assert!(!refused.status.success());
    assert!(
        cli_support::stderr(&refused).contains("already holds other files"),
        "{}",
        cli_support::stderr(&refused)
    );
    assert_eq!(files(&old, ".wav").len() as u64, archived);

    let elsewhere = tempfile::tempdir().unwrap();
    let to = elsewhere.path().join("recordings");
    let out = ok(&run(
        &["recordings", "move", to.to_str().unwrap()],
        data.path(),
    ));
    assert!(
        out.contains(&format!("({archived} recording(s), renamed)")),
        "{out}"
    );
    assert_eq!(files(&to, ".wav").len() as u64, archived);
    assert!(files(&old, ".wav").is_empty());
    let text = ok(&run(&["recordings", "location"], data.path()));
    assert!(
        text.starts_with(&format!("Recordings archive: {}\n", to.display())),
        "{text}"
    );

    // The next archive run finds everything in the new folder and fetches nothing.
    let before = sim.handle().request_count();
    let again = json_of(&run(&["recordings", "archive", "--json"], data.path()));
    assert_eq!(again["folder"], to.display().to_string());
    assert_eq!(again["progress"]["already"], archived);
    assert_eq!(again["progress"]["archived"], 0);
    assert_eq!(sim.handle().request_count(), before);
    sim.shutdown().await;
}
