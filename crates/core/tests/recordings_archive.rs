//! `Agency::archive_recordings` against the simulator on 127.0.0.1: every recording fetched
//! once into `<data dir>/archive/<client>/<yyyy-mm>/<call id>.wav` with its checksum, calls
//! without one remembered, a re-run fetching nothing, a damaged file fetched again, and Vapi's
//! 429s waited out.

mod recordings_support;

use std::sync::{Arc, Mutex};

use agencydesk_core::agency::Agency;
use agencydesk_core::recordings::{no_archive_progress, ArchiveProgress};
use agencydesk_core::sync::CancellationToken;
use recordings_support::{archive, setup, wav_files};
use sha2::{Digest, Sha256};
use vapi_sim::Faults;

fn rows(agency: &Agency) -> Vec<(String, String, Option<String>, Option<String>)> {
    agency
        .store()
        .read(|c| {
            let mut s = c.prepare(
                "SELECT r.call_id, r.state, r.path, r.sha256 FROM call_recordings r ORDER BY 1",
            )?;
            let v = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, agencydesk_core::store::StoreError>(v)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_recording_is_fetched_once_with_its_checksum() {
    let (sim, agency, data) = setup(8).await;
    let root = data.path().join("archive");
    let events: Arc<Mutex<Vec<ArchiveProgress>>> = Arc::default();
    let sink = {
        let events = Arc::clone(&events);
        Arc::new(move |p: &ArchiveProgress| events.lock().unwrap().push(p.clone()))
    };
    let report = agency
        .archive_recordings(None, None, sink, CancellationToken::new())
        .await
        .unwrap();
    let p = &report.progress;
    assert_eq!(p.failed, 0, "{:?}", report.failures);
    assert!(p.archived > 3 && p.without_recording > 0, "{p:?}");
    assert_eq!(p.archived + p.without_recording, p.total);
    assert_eq!(p.done, p.total);
    {
        let events = events.lock().unwrap();
        assert_eq!(events.last(), Some(p));
        assert!(events.windows(2).all(|w| w[0].done <= w[1].done));
    }

    // Every call that has a recording at Vapi has its file, and only those.
    let mut with_recording = Vec::new();
    for org in &sim.manifest().orgs {
        for call in sim.handle().calls(&org.id) {
            if call["recordingUrl"].is_string() {
                with_recording.push(call);
            }
        }
    }
    assert_eq!(with_recording.len() as u64, p.archived);
    let files = wav_files(&root);
    assert_eq!(files.len() as u64, p.archived, "{files:?}");
    let rows = rows(&agency);
    for call in &with_recording {
        let id = call["id"].as_str().unwrap();
        let month = &call["createdAt"].as_str().unwrap()[..7];
        let row = rows
            .iter()
            .find(|r| r.0 == id)
            .expect("a row per recording");
        assert_eq!(row.1, "archived");
        let path = row.2.as_deref().unwrap();
        assert!(path.ends_with(&format!("/{month}/{id}.wav")), "{path}");
        let bytes = std::fs::read(root.join(path)).unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(row.3.as_deref(), Some(sha.as_str()));
    }
    assert_eq!(
        rows.iter().filter(|r| r.1 == "none").count() as u64,
        p.without_recording
    );

    // A second run asks Vapi nothing.
    let before = sim.handle().request_count();
    let again = archive(&agency).await;
    assert_eq!(sim.handle().request_count(), before);
    assert_eq!(again.progress.archived, 0);
    assert_eq!(again.progress.already, p.archived);
    assert_eq!(again.progress.without_recording, 0);

    // A damaged file is fetched again, and only that one.
    let victim = &files[0];
    let mut bytes = std::fs::read(victim).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(victim, &bytes).unwrap();
    let repaired = archive(&agency).await;
    assert_eq!(repaired.progress.archived, 1);
    assert_eq!(repaired.progress.already, p.archived - 1);
    let fixed = std::fs::read(victim).unwrap();
    assert_ne!(fixed, bytes);
    assert!(!wav_files(&root)
        .iter()
        .any(|f| f.to_string_lossy().ends_with(".partial")));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_are_waited_out() {
    let (sim, agency, _data) = setup(4).await;
    // A few requests a second per key: the archive's parallel requests get 429 + Retry-After.
    sim.handle().set_faults(Faults {
        rate_limit: Some(3),
        ..Faults::default()
    });
    let report = archive(&agency).await;
    assert_eq!(report.progress.failed, 0, "{:?}", report.failures);
    assert!(report.progress.archived > 0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_limits_the_calls_and_an_unknown_org_is_refused() {
    let (sim, agency, _data) = setup(6).await;
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    let report = agency
        .archive_recordings(
            None,
            Some(tomorrow),
            no_archive_progress(),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(report.progress.total, 0);
    let org = &sim.manifest().orgs[0].id;
    let one = agency
        .archive_recordings(
            Some(org),
            None,
            no_archive_progress(),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert!(one.progress.total > 0);
    let first_folder = wav_files(&_data.path().join("archive"));
    assert!(first_folder
        .iter()
        .all(|f| f.to_string_lossy().contains(&org[..8])));
    assert!(agency
        .archive_recordings(
            Some("nope"),
            None,
            no_archive_progress(),
            CancellationToken::new()
        )
        .await
        .is_err());
    sim.shutdown().await;
}
