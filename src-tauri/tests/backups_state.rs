//! The window's backup commands without a window (`AppState`, as the commands call it): the page
//! names a backup by its id only, a restore closes the agency, restores and reopens it, and the
//! demo keeps no backups. Real SQLite files; the keychain is an in-memory stand-in.

use std::sync::Arc;

use agencydesk::state::{AppState, KeychainOpener};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::{EphemeralKeychain, SecretStore};
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::agency_profile::AgencyMode;
use agencydesk_core::store::backup::BackupKind;

fn shared_keychain() -> KeychainOpener {
    let store: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
    Arc::new(move || Ok(Arc::clone(&store)))
}

async fn agency_name(state: &AppState) -> String {
    let session = state.session().await.unwrap();
    session.agency.profile().unwrap().unwrap().name
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_from_the_window_reopens_the_agency_on_the_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(tmp.path())), shared_keychain(), false);
    state.start_real().await.unwrap();
    let session = state.session().await.unwrap();
    session
        .agency
        .set_profile("Before", AgencyMode::Live)
        .unwrap();
    let made = session.agency.create_backup().await.unwrap();
    session
        .agency
        .set_profile("After", AgencyMode::Live)
        .unwrap();
    drop(session);

    let listed = state.list_backups().await.unwrap();
    let kinds: Vec<BackupKind> = listed.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [BackupKind::Manual, BackupKind::Daily],
        "newest first"
    );

    // The page can name a backup, never a path.
    for outside in ["../agencydesk.sqlite", "/etc/passwd", "agencydesk.sqlite"] {
        let err = state.restore_backup(outside).await.unwrap_err();
        assert_eq!(err.code(), Code::NotFound, "{outside}: {err}");
    }
    assert_eq!(agency_name(&state).await, "After", "nothing was restored");

    let report = state.restore_backup(&made.id).await.unwrap();
    assert_eq!(report.restored_from, made.id);
    assert_eq!(
        agency_name(&state).await,
        "Before",
        "reopened on the backup"
    );
    let previous = report.previous_backup.unwrap();
    assert_eq!(previous.kind, BackupKind::BeforeRestore);
    assert!(state
        .list_backups()
        .await
        .unwrap()
        .iter()
        .any(|b| b.id == previous.id));

    // And back again, from the copy the restore kept.
    state.restore_backup(&previous.id).await.unwrap();
    assert_eq!(agency_name(&state).await, "After");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_lists_no_backups_and_refuses_a_restore() {
    let tmp = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(tmp.path())), shared_keychain(), false);
    state.start_demo().await.unwrap();
    assert!(state.list_backups().await.unwrap().is_empty());
    let err = state.restore_backup("anything").await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    // Its call cache can be rebuilt (nothing synced yet: nothing removed).
    let done = state.rebuild_call_cache().await.unwrap();
    assert_eq!(done.calls_removed, 0);
    assert_eq!(done.orgs, agencydesk::demo::CLIENT_ORGS + 1);
}
