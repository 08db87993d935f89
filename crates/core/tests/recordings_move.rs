//! Moving the recordings archive (`Agency::move_archive`) with real files: a rename on the same
//! file system, a copy checked against each file's SHA-256 when the destination already is an
//! archive, an interrupted move that leaves every file in use and finishes when run again, and
//! the destinations refused. Playback and the archive use the new folder afterwards.

mod recordings_support;

use std::path::Path;

use agencydesk_core::recordings::{RecordingSource, MARKER};
use recordings_support::{archive, setup, wav_files};

fn recorded_paths(agency: &agencydesk_core::agency::Agency) -> Vec<(String, String)> {
    agency
        .store()
        .read(|c| {
            let mut s = c.prepare(
                "SELECT call_id, path FROM call_recordings WHERE state = 'archived' ORDER BY path",
            )?;
            let v = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok::<_, agencydesk_core::store::StoreError>(v)
        })
        .unwrap()
}

/// The recordings under `dir` (not the marker, not a `.partial`).
fn wavs(dir: &Path) -> Vec<std::path::PathBuf> {
    wav_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .collect()
}

fn same_files(a: &Path, b: &Path, paths: &[(String, String)]) {
    for (_, p) in paths {
        assert_eq!(
            std::fs::read(a.join(p)).unwrap(),
            std::fs::read(b.join(p)).unwrap(),
            "{p}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_renames_the_folder_and_everything_follows_it() {
    let (sim, agency, data) = setup(2).await;
    let first = archive(&agency).await;
    assert!(first.progress.archived > 2, "{:?}", first.progress);
    let old = data.path().join("archive");
    let before = agency.archive_location().unwrap();
    assert!(before.is_default);
    assert_eq!(before.folder, old.display().to_string());
    assert_eq!(before.files, first.progress.archived);
    assert_eq!(before.bytes, first.progress.bytes);
    let paths = recorded_paths(&agency);
    let copy = tempfile::tempdir().unwrap();
    for (_, p) in &paths {
        let target = copy.path().join(p);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(old.join(p), target).unwrap();
    }

    let elsewhere = tempfile::tempdir().unwrap();
    let to = elsewhere.path().join("Recordings");
    let moved = agency.move_archive(&to).await.unwrap();
    assert!(moved.renamed);
    assert_eq!(moved.moved, first.progress.archived);
    assert_eq!(moved.missing, 0);
    assert!(!old.exists(), "the old folder is gone after a rename");
    assert!(to.join(MARKER).is_file());
    same_files(copy.path(), &to, &paths);
    let after = agency.archive_location().unwrap();
    assert_eq!(after.folder, to.display().to_string());
    assert!(!after.is_default);
    assert_eq!(after.unfinished_move_to, None);
    assert_eq!(agency.archive_folder().unwrap(), to);

    // Playback reads the new folder (not Vapi), and the archive finds everything there.
    let (call_id, path) = &paths[0];
    let (bytes, source) = agency.recording(call_id).await.unwrap().unwrap();
    assert_eq!(source, RecordingSource::Archive);
    assert_eq!(bytes, std::fs::read(to.join(path)).unwrap());
    let requests = sim.handle().request_count();
    let again = archive(&agency).await;
    assert_eq!(again.folder, to.display().to_string());
    assert_eq!(again.progress.already, first.progress.archived);
    assert_eq!(again.progress.archived, 0);
    assert_eq!(sim.handle().request_count(), requests);

    // With Vapi gone, a dispute kit still carries the recording: from the moved archive.
    sim.shutdown().await;
    let kits = tempfile::tempdir().unwrap();
    let kit = agency
        .dispute_kit(call_id, &kits.path().join("kit.zip"))
        .await
        .unwrap();
    assert!(kit.recording, "{kit:?}");

    // Moving it back home: the default folder is stored as the default again.
    let home = agency.move_archive(&old).await.unwrap();
    assert_eq!(home.moved, first.progress.archived);
    assert!(agency.archive_location().unwrap().is_default);
    same_files(copy.path(), &old, &paths);
    // A move to where it already is does nothing.
    let none = agency.move_archive(&old).await.unwrap();
    assert_eq!((none.moved, none.from == none.to), (0, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_copy_loses_nothing_and_finishes_when_run_again() {
    let (sim, agency, data) = setup(2).await;
    let first = archive(&agency).await;
    let total = first.progress.archived;
    assert!(total > 3, "{:?}", first.progress);
    let old = data.path().join("archive");
    let paths = recorded_paths(&agency);

    // An existing archive folder (its marker), so the move copies file by file; a folder where
    // the third file must go makes the copy fail there, as a full disk or a pulled cable would,
    // and a stale `.partial` stands for a copy killed mid-write.
    let dest_parent = tempfile::tempdir().unwrap();
    let to = dest_parent.path().join("moved");
    std::fs::create_dir_all(&to).unwrap();
    std::fs::write(to.join(MARKER), "agencydesk recordings archive\n").unwrap();
    let blocker = to.join(&paths[2].1);
    std::fs::create_dir_all(blocker.join("in-the-way")).unwrap();
    let stale = to.join(format!("{}.partial", paths[3].1));
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, b"half a file").unwrap();

    let failed = agency.move_archive(&to).await;
    assert!(failed.is_err(), "{failed:?}");
    // Nothing lost: the old folder is still the one in use and still holds every file.
    let during = agency.archive_location().unwrap();
    assert_eq!(during.folder, old.display().to_string());
    assert_eq!(during.unfinished_move_to, Some(to.display().to_string()));
    assert_eq!(wavs(&old).len() as u64, total);
    let (_, source) = agency.recording(&paths[2].0).await.unwrap().unwrap();
    assert_eq!(source, RecordingSource::Archive);
    // The first two were copied whole before the failure.
    for (_, p) in &paths[..2] {
        assert_eq!(
            std::fs::read(to.join(p)).unwrap(),
            std::fs::read(old.join(p)).unwrap()
        );
    }
    // Another destination is refused until that move finishes.
    let other = tempfile::tempdir().unwrap();
    let refused = agency.move_archive(other.path()).await.unwrap_err();
    assert!(refused.to_string().contains("did not finish"), "{refused}");

    // Run again once the obstacle is gone: it finishes.
    std::fs::remove_dir_all(&blocker).unwrap();
    let done = agency.move_archive(&to).await.unwrap();
    assert!(!done.renamed);
    assert_eq!(done.moved, total);
    assert_eq!(done.missing, 0);
    let after = agency.archive_location().unwrap();
    assert_eq!(after.folder, to.display().to_string());
    assert_eq!(after.unfinished_move_to, None);
    assert!(
        !old.exists(),
        "every old file and folder removed: {:?}",
        wav_files(&old)
    );
    assert_eq!(wavs(&to).len() as u64, total);
    assert!(wav_files(&to)
        .iter()
        .all(|p| !p.to_string_lossy().ends_with(".partial")));
    for (call_id, path) in &paths {
        let (bytes, source) = agency.recording(call_id).await.unwrap().unwrap();
        assert_eq!(source, RecordingSource::Archive);
        assert_eq!(bytes, std::fs::read(to.join(path)).unwrap());
    }
    let again = archive(&agency).await;
    assert_eq!(
        (again.progress.already, again.progress.archived),
        (total, 0)
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_destinations_are_refused_and_nothing_moves() {
    let (sim, agency, data) = setup(1).await;
    let first = archive(&agency).await;
    let old = data.path().join("archive");
    let busy = tempfile::tempdir().unwrap();
    std::fs::write(busy.path().join("taxes.pdf"), b"not a recording").unwrap();
    let a_file = busy.path().join("taxes.pdf");
    for (to, says) in [
        (old.join("inside"), "inside the current archive"),
        (busy.path().to_path_buf(), "already holds other files"),
        (a_file.clone(), "is a file"),
        (
            Path::new("relative/folder").to_path_buf(),
            "full folder path",
        ),
        (
            data.path().to_path_buf(),
            "current archive folder is inside",
        ),
    ] {
        let error = agency.move_archive(&to).await.unwrap_err();
        assert!(error.to_string().contains(says), "{to:?}: {error}");
    }
    let location = agency.archive_location().unwrap();
    assert!(location.is_default);
    assert_eq!(location.unfinished_move_to, None);
    assert_eq!(wavs(&old).len() as u64, first.progress.archived);
    assert!(old.join(MARKER).is_file());
    assert_eq!(
        std::fs::read(busy.path().join("taxes.pdf")).unwrap(),
        b"not a recording"
    );
    sim.shutdown().await;
}
