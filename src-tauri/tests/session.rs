//! The app's state machine without a window: onboarding, demo, real mode, closing. Real HTTP to
//! the simulator on 127.0.0.1, real SQLite files in temp folders.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use agencydesk::error::AppError;
use agencydesk::state::{AppState, KeychainOpener};
use agencydesk::status::SessionMode;
use agencydesk_core::agency::NoConfirmation;
use agencydesk_core::error::Code;
use agencydesk_core::keychain::{EphemeralKeychain, KeychainError, SecretStore};
use agencydesk_core::paths::DataDir;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use vapi_sim::{Sim, SimConfig};

fn no_keychain() -> KeychainOpener {
    Arc::new(|| {
        Err(KeychainError::Unavailable {
            detail: "no D-Bus session in this test".into(),
        })
    })
}

/// Stands in for the OS keychain; one store shared by every opening, like the real one.
fn shared_keychain() -> KeychainOpener {
    let store: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
    Arc::new(move || Ok(Arc::clone(&store)))
}

fn state_in(dir: &std::path::Path, keychain: KeychainOpener) -> AppState {
    AppState::new(Ok(DataDir::at(dir)), keychain, false)
}

#[tokio::test]
async fn first_run_offers_the_choice_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state_in(tmp.path(), no_keychain());
    let status = state.status().await;
    assert!(status.session.is_none());
    assert!(!status.launch_demo);
    assert!(status.notice.is_none(), "{:?}", status.notice);
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written before a choice"
    );
    assert!(matches!(state.session().await, Err(AppError::NoSession)));
}

#[tokio::test]
async fn launch_demo_is_handed_out_once() {
    let tmp = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(tmp.path())), no_keychain(), true);
    assert!(state.status().await.launch_demo);
    assert!(!state.status().await.launch_demo);
}

#[tokio::test]
async fn demo_links_every_seeded_client_org() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state_in(tmp.path(), no_keychain());
    let info = state.start_demo().await.unwrap();
    assert_eq!(info.mode, SessionMode::Demo);

    let session = state.session().await.unwrap();
    let manifest = session.demo_manifest().expect("demo has a simulator");
    assert_eq!(manifest.orgs.len(), agencydesk::demo::CLIENT_ORGS);
    assert_eq!(info.agency_name, manifest.agency.name);

    let clients: Vec<_> = session
        .agency
        .list_clients()
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == OrgKind::Client)
        .collect();
    assert_eq!(clients.len(), manifest.orgs.len());
    for org in &manifest.orgs {
        let view = clients
            .iter()
            .find(|c| c.id == org.id)
            .unwrap_or_else(|| panic!("{} not linked", org.name));
        assert_eq!(view.name, org.name);
        assert_eq!(view.status, OrgStatus::Linked);
        let mut shown: Vec<_> = view
            .assistants
            .iter()
            .filter_map(|a| a.name.clone())
            .collect();
        let mut seeded: Vec<_> = org.assistants.iter().map(|a| a.name.clone()).collect();
        shown.sort();
        seeded.sort();
        assert_eq!(shown, seeded, "assistants of {}", org.name);
        assert_eq!(
            view.public_key_count as usize,
            org.public_keys.len(),
            "public keys of {}",
            org.name
        );
        assert_eq!(
            view.key_fingerprint.as_deref(),
            Some(
                SecretKey::new(org.private_key.clone())
                    .fingerprint()
                    .as_str()
            )
        );
    }
    // What the UI receives never carries a private key.
    let json = serde_json::to_string(&clients).unwrap();
    for org in &manifest.orgs {
        assert!(
            !json.contains(&org.private_key),
            "private key of {} in the view",
            org.name
        );
    }
    // The demo lives in its own folder, not in the real database.
    assert!(tmp.path().join("demo").join("agencydesk.sqlite").is_file());
    assert!(!tmp.path().join("agencydesk.sqlite").exists());
}

#[tokio::test]
async fn restarting_the_demo_starts_from_a_fresh_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state_in(tmp.path(), no_keychain());
    state.start_demo().await.unwrap();
    let first = state.session().await.unwrap();
    let leftover = tmp.path().join("demo").join("leftover.txt");
    std::fs::write(&leftover, b"from the first run").unwrap();
    let first_url = first.demo_manifest().unwrap().url;
    drop(first);

    state.start_demo().await.unwrap();
    let second = state.session().await.unwrap();
    assert!(
        !leftover.exists(),
        "the demo folder is recreated on each start"
    );
    let clients = second.agency.list_clients().unwrap();
    let client_count = clients.iter().filter(|c| c.kind == OrgKind::Client).count();
    assert_eq!(
        client_count,
        agencydesk::demo::CLIENT_ORGS,
        "no rows left from the first run"
    );
    assert!(
        http_get(&first_url).await.is_err(),
        "the first demo's simulator was stopped"
    );
}

#[tokio::test]
async fn closing_the_demo_stops_its_simulator() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state_in(tmp.path(), no_keychain());
    state.start_demo().await.unwrap();
    let url = state.session().await.unwrap().demo_manifest().unwrap().url;
    assert!(
        http_get(&url).await.is_ok(),
        "simulator answers while the demo is open"
    );
    state.close_session().await;
    assert!(matches!(state.session().await, Err(AppError::NoSession)));
    assert!(
        http_get(&url).await.is_err(),
        "simulator stopped with the demo"
    );
}

#[tokio::test]
async fn real_mode_without_a_keychain_fails_clearly_and_opens_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let state = state_in(tmp.path(), no_keychain());
    let err = state.start_real().await.unwrap_err();
    assert_eq!(err.code(), Code::KeychainUnavailable);
    assert!(err.to_string().contains("plain text"), "{err}");
    assert!(state.status().await.session.is_none());
    // The demo stays available.
    assert_eq!(state.start_demo().await.unwrap().mode, SessionMode::Demo);
}

#[tokio::test]
async fn real_agency_links_a_key_and_reopens_on_next_start() {
    let sim = Sim::start(
        SimConfig {
            orgs: 2,
            days: 2,
            ..SimConfig::default()
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap();
    let manifest = sim.manifest();
    let org = &manifest.orgs[1];
    let tmp = tempfile::tempdir().unwrap();
    let keychain = shared_keychain();

    let state = state_in(tmp.path(), keychain.clone());
    let info = state.start_real().await.unwrap();
    assert_eq!(info.mode, SessionMode::Real);
    let session = state.session().await.unwrap();
    let view = session
        .agency
        .link_client(
            Some(&manifest.url),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    assert_eq!(view.name, org.name);
    drop(session);

    // Next launch: the configured real agency opens by itself, with the linked client.
    let reopened = state_in(tmp.path(), keychain);
    let status = reopened.status().await;
    assert_eq!(status.session.map(|s| s.mode), Some(SessionMode::Real));
    let clients = reopened
        .session()
        .await
        .unwrap()
        .agency
        .list_clients()
        .unwrap();
    assert!(clients
        .iter()
        .any(|c| c.id == org.id && c.status == OrgStatus::Linked));
    sim.shutdown().await;
}

#[tokio::test]
async fn configured_real_agency_with_a_locked_keychain_shows_why_on_onboarding() {
    let tmp = tempfile::tempdir().unwrap();
    state_in(tmp.path(), shared_keychain())
        .start_real()
        .await
        .unwrap();

    let state = state_in(tmp.path(), no_keychain());
    let status = state.status().await;
    assert!(status.session.is_none());
    let notice = status.notice.expect("the keychain failure is reported");
    assert_eq!(notice.code, Code::KeychainUnavailable);
}

/// A plain HTTP/1.1 GET over a TcpStream: enough to tell whether the simulator still answers,
/// without another HTTP client in this crate's dependencies.
async fn http_get(url: &str) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream
        .write_all(
            format!("GET /org HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await?;
    let mut buf = Vec::new();
    stream.read_to_end(&mut buf).await?;
    if buf.starts_with(b"HTTP/1.1") {
        Ok(())
    } else {
        Err(std::io::Error::other("not an HTTP answer"))
    }
}
